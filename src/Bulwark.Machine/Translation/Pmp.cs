using Bulwark.Machine.Cpu;
using Bulwark.Machine.Memory;

namespace Bulwark.Machine.Translation;

/// <summary>One hart's physical memory protection, as QEMU implements it for the virt board: 16 entries,
/// 4-byte granularity, OFF/TOR/NA4/NAPOT, R/W/X and the L bit (locks the entry, and then binds M mode
/// too). Addresses are physical (identity mapping). The lowest-numbered entry that matches any byte of an
/// access decides; an access that only partly lies in that entry fails. No entry matching: M mode may,
/// U mode may not. Loads and stores in M mode with mstatus.MPRV are checked as the mode in MPP.</summary>
public sealed class Pmp(Hart hart) : IAddressTranslator
{
    public const int Entries = 16;
    private const byte R = 1, W = 2, X = 4, ModeMask = 0x18, Locked = 0x80;
    private const int Off = 0, Tor = 1, Na4 = 2, Napot = 3;
    private const ulong AddressMask = (1UL << 54) - 1;

    private readonly byte[] _cfg = new byte[Entries];
    private readonly ulong[] _addr = new ulong[Entries];
    // Each entry's byte range [lo, hi), worked out when a register is written (hi = lo: matches nothing).
    private readonly ulong[] _lo = new ulong[Entries];
    private readonly ulong[] _hi = new ulong[Entries];
    private int _active;

    /// <summary>Accesses refused (for --stats).</summary>
    public long Faults { get; private set; }

    public uint Translate(ulong va, int size, AccessType access, out TranslationFlags flags)
    {
        var mode = access != AccessType.Execute && hart.Privilege == PrivilegeMode.Machine && (hart.Csr.Mstatus & Cpu.Privileged.MstatusBits.Mprv) != 0
            ? hart.Csr.PreviousPrivilege
            : hart.Privilege;
        ulong start = va, end = va + (ulong)size;
        byte need = access switch { AccessType.Read => R, AccessType.Write => W, _ => X };
        flags = TranslationFlags.None;
        for (int i = 0; i < _active; i++)
        {
            ulong lo = _lo[i], hi = _hi[i];
            if (!(start < hi && lo < end)) continue;
            bool allowed = start >= lo && end <= hi
                && ((_cfg[i] & need) != 0 || (mode == PrivilegeMode.Machine && (_cfg[i] & Locked) == 0));
            if (!allowed)
            {
                Faults++;
                flags = TranslationFlags.AccessFault;
                return 0;
            }
            return Allow(va, i, out flags);
        }
        if (mode != PrivilegeMode.Machine)
        {
            Faults++;
            flags = TranslationFlags.AccessFault;
            return 0;
        }
        return Allow(va, -1, out flags);
    }

    /// <summary>An allowed access; cacheable when every byte of its page is decided by the same entry
    /// (<paramref name="entry"/>, or none), so the decision holds for the whole page.</summary>
    private uint Allow(ulong va, int entry, out TranslationFlags flags)
    {
        ulong page = va & ~(ulong)(PhysicalMemory.PageSize - 1), pageEnd = page + PhysicalMemory.PageSize;
        flags = TranslationFlags.Cacheable;
        for (int i = 0; i < _active; i++)
        {
            ulong lo = _lo[i], hi = _hi[i];
            if (!(page < hi && lo < pageEnd)) continue;
            if (i != entry || page < lo || pageEnd > hi) flags = TranslationFlags.None;
            break;
        }
        return (uint)(va >> PhysicalMemory.PageShift);
    }

    /// <summary>Recomputes every entry's range after a write; <see cref="_active"/> is one past the last
    /// entry that matches anything, so a lookup scans no further.</summary>
    private void Decode()
    {
        _active = 0;
        for (int i = 0; i < Entries; i++)
        {
            if (Region(i, out _lo[i], out _hi[i])) _active = i + 1;
            else _lo[i] = _hi[i] = 0;
        }
    }

    /// <summary>The byte range [lo, hi) entry <paramref name="i"/> matches; false if it matches nothing.</summary>
    private bool Region(int i, out ulong lo, out ulong hi)
    {
        lo = hi = 0;
        ulong a = _addr[i];
        switch ((_cfg[i] & ModeMask) >> 3)
        {
            case Tor:
                lo = i == 0 ? 0 : _addr[i - 1] << 2;
                hi = a << 2;
                return lo < hi;
            case Na4:
                lo = a << 2;
                hi = lo + 4;
                return true;
            case Napot:
            {
                // pmpaddr = base/4 with (n-3) trailing ones for a 2^n-byte region.
                int ones = System.Numerics.BitOperations.TrailingZeroCount(~a);
                if (ones >= 54) { lo = 0; hi = ulong.MaxValue; return true; }
                ulong size = 8UL << ones;
                lo = (a & ~((1UL << ones) - 1)) << 2;
                hi = lo + size;
                if (hi < lo) hi = ulong.MaxValue;
                return true;
            }
            default:
                return false;
        }
    }

    /// <summary>What an M-mode <c>csrw</c> to pmpcfgN (<paramref name="index"/> N, even, 0..2) or pmpaddrN
    /// (index 16 + N) does, for a kernel written in C# that runs above the board and loads a process's PMP
    /// at its trap exit. Locked entries stay as they are; cached translations are dropped.</summary>
    public void WriteCsr(int index, ulong value)
    {
        if (!TryWriteCsr(index, value)) throw new ArgumentOutOfRangeException(nameof(index), $"no PMP CSR at index {index}");
        hart.FlushTlb();
    }

    /// <summary>What an M-mode <c>csrr</c> of pmpcfgN or pmpaddrN reads (indexes as <see cref="WriteCsr"/>).</summary>
    public ulong ReadCsr(int index) =>
        TryReadCsr(index, out ulong value) ? value : throw new ArgumentOutOfRangeException(nameof(index), $"no PMP CSR at index {index}");

    /// <summary>Reads pmpcfgN (<paramref name="index"/> N for 0..15) or pmpaddrN (index 16 + N).</summary>
    internal bool TryReadCsr(int index, out ulong value)
    {
        value = 0;
        if (index < 16)
        {
            // RV64 has only the even pmpcfg registers, each holding eight entries' bytes.
            if ((index & 1) != 0 || index * 4 >= Entries) return false;
            for (int k = 7; k >= 0; k--) value = (value << 8) | _cfg[index * 4 + k];
            return true;
        }
        int entry = index - 16;
        if (entry >= Entries) return false;
        value = _addr[entry];
        return true;
    }

    internal bool TryWriteCsr(int index, ulong value)
    {
        if (index < 16)
        {
            if ((index & 1) != 0 || index * 4 >= Entries) return false;
            for (int k = 0; k < 8; k++) WriteCfg(index * 4 + k, (byte)(value >> (8 * k)));
            Decode();
            return true;
        }
        int entry = index - 16;
        if (entry >= Entries) return false;
        bool nextIsLockedTor = entry + 1 < Entries && (_cfg[entry + 1] & Locked) != 0 && ((_cfg[entry + 1] & ModeMask) >> 3) == Tor;
        if ((_cfg[entry] & Locked) == 0 && !nextIsLockedTor) _addr[entry] = value & AddressMask;
        Decode();
        return true;
    }

    private void WriteCfg(int entry, byte value)
    {
        if ((_cfg[entry] & Locked) != 0) return;
        // Bits 5 and 6 are reserved (read as zero); W without R is reserved, and the write leaves W off.
        value &= 0x9f;
        if ((value & (R | W)) == W) value &= unchecked((byte)~W);
        _cfg[entry] = value;
    }
}
