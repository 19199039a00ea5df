using Bulwark.Kernel.Memory;
using Bulwark.Machine.Cpu.Passwords;

namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>One shared segment: its frames (held for as long as the segment lives, whoever maps them),
/// where it is, its passwords (password modes) and who holds which rights on it.</summary>
public sealed class Segment(int id, int ownerPid, uint ownerUid, ulong pages, Rights rights, SharedMemory backing)
{
    public int Id { get; } = id;
    public int OwnerPid { get; } = ownerPid;
    public uint OwnerUid { get; } = ownerUid;
    public ulong Pages { get; } = pages;
    public ulong Bytes => Pages * AddressSpace.PageSize;
    /// <summary>The kinds of access the segment can be granted at all (the creator's `rights`).</summary>
    public Rights Rights { get; } = rights;
    public SharedMemory Backing { get; } = backing;

    /// <summary>The address every process shares (none, password, password-table and fallback).</summary>
    public ulong Base { get; set; }
    /// <summary>Statistical mode: the read-write and read-only aliases, mapped in every process.</summary>
    public ulong ReadWriteAlias { get; set; }
    public ulong ReadOnlyAlias { get; set; }

    /// <summary>Password modes: what the CPU checks (its passwords are rotated in place on revocation).</summary>
    public FarSegment? Far { get; set; }

    /// <summary>Rights per pid. The creator holds all of <see cref="Rights"/>.</summary>
    public Dictionary<int, Rights> Grants { get; } = [];

    /// <summary>Every user that ever held write access (the fallback's suspects for a planted pointer:
    /// without the password unit's writer tags nobody records who wrote a word).</summary>
    public SortedSet<uint> Writers { get; } = [];

    public Rights GrantOf(int pid) => Grants.GetValueOrDefault(pid);

    public Password128 PasswordOf(PasswordKind kind) => kind switch
    {
        PasswordKind.Read => Far!.Read,
        PasswordKind.ReadWrite => Far!.ReadWrite,
        _ => Far!.Execute,
    };

    /// <summary>Whether [start, end) meets any of this segment's addresses (with one guard page after each).</summary>
    public bool Overlaps(ulong start, ulong end, ulong guard)
    {
        foreach (ulong a in (ReadOnlySpan<ulong>)[Base, ReadWriteAlias, ReadOnlyAlias])
            if (a != 0 && start < a + Bytes + guard && a < end + guard) return true;
        return false;
    }

    public override string ToString() => $"segment {Id}";
}
