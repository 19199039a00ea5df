using Bulwark.Machine.Cpu.Passwords;

namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>A process's canonical section (password-table mode): one 16-byte slot per segment and
/// access kind, at the same address in every process (<see cref="SharedLayout.SlotAddress"/>), holding
/// the current password only where this process holds the grant. It lives in the kernel: the hardware
/// reads it (<see cref="IPasswordSection"/>), user instructions cannot.</summary>
public sealed class CanonicalSection : IPasswordSection
{
    private readonly Dictionary<ulong, Password128> _slots = [];

    public Password128 Read(ulong slotAddress) => _slots.TryGetValue(slotAddress, out var p) ? p : Password128.Zero;

    public void Set(ulong slotAddress, Password128 password) => _slots[slotAddress] = password;

    public void Clear(ulong slotAddress) => _slots.Remove(slotAddress);

    public CanonicalSection Clone()
    {
        var copy = new CanonicalSection();
        foreach (var (slot, password) in _slots) copy._slots[slot] = password;
        return copy;
    }
}
