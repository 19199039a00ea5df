namespace Bulwark.Machine.Cpu.Privileged;

/// <summary>What a CSR instruction did, beyond its result in rd.</summary>
internal enum CsrResult
{
    Done,
    /// <summary>The CSR does not exist, the hart's privilege is too low, or it was a write to a read-only CSR.</summary>
    Illegal,
    /// <summary>A write that may change which interrupts are pending or enabled, or how memory is
    /// checked (mstatus, mie, PMP): the engine stops so the platform can look.</summary>
    InterruptsMayChange,
}

/// <summary>The CSR instructions (Zicsr) and the CSRs of an M+U hart as QEMU's virt board shows them.
/// A CSR's address says who may touch it: bits 9..8 are the lowest privilege, bits 11..10 = 3 mean
/// read-only. The floating-point CSRs need mstatus.FS on; U-mode counter reads need mcounteren.</summary>
internal static class ControlRegisters
{
    private const int Fflags = 0x001, Frm = 0x002, Fcsr = 0x003;
    private const int Cycle = 0xC00, Time = 0xC01, Instret = 0xC02, HpmCounter3 = 0xC03, HpmCounter31 = 0xC1F;
    private const int Satp = 0x180;
    private const int Mstatus = 0x300, Misa = 0x301, Medeleg = 0x302, Mideleg = 0x303, Mie = 0x304, Mtvec = 0x305,
        Mcounteren = 0x306, Menvcfg = 0x30A, Mcountinhibit = 0x320, MhpmEvent3 = 0x323, MhpmEvent31 = 0x33F;
    private const int Mscratch = 0x340, Mepc = 0x341, Mcause = 0x342, Mtval = 0x343, Mip = 0x344;
    private const int PmpCfg0 = 0x3A0, PmpCfg15 = 0x3AF, PmpAddr0 = 0x3B0, PmpAddr63 = 0x3EF;
    private const int Tselect = 0x7A0, Tdata1 = 0x7A1, Tdata3 = 0x7A3;
    private const int Mcycle = 0xB00, Minstret = 0xB02, MhpmCounter3 = 0xB03, MhpmCounter31 = 0xB1F;
    private const int Mvendorid = 0xF11, Marchid = 0xF12, Mimpid = 0xF13, Mhartid = 0xF14, Mconfigptr = 0xF15;

    /// <summary>misa: RV64 with A, C, D, F, I, M and U.</summary>
    private const ulong MisaValue = (2UL << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 20);

    public static CsrResult Execute(Hart hart, in DecodedInsn d, ulong[] x)
    {
        int csr = (int)(d.Imm & 0xfff);
        bool immediate = d.Op >= Op.Csrrwi;
        ulong operand = immediate ? d.Rs1 : x[d.Rs1];
        // csrrs/csrrc with x0 (or a zero immediate) read without writing; csrrw always writes.
        bool writes = d.Op is Op.Csrrw or Op.Csrrwi || d.Rs1 != 0;
        if ((int)hart.Privilege < ((csr >> 8) & 3)) return CsrResult.Illegal;
        if (writes && (csr >> 10) == 3) return CsrResult.Illegal;
        if (!TryRead(hart, csr, out ulong old)) return CsrResult.Illegal;
        var result = CsrResult.Done;
        if (writes)
        {
            ulong value = d.Op switch
            {
                Op.Csrrw or Op.Csrrwi => operand,
                Op.Csrrs or Op.Csrrsi => old | operand,
                _ => old & ~operand,
            };
            result = Write(hart, csr, value);
            if (result == CsrResult.Illegal) return result;
        }
        x[d.Rd] = old;
        return result;
    }

    private static bool TryRead(Hart hart, int csr, out ulong value)
    {
        var s = hart.State;
        var m = hart.Csr;
        value = 0;
        switch (csr)
        {
            case Fflags or Frm or Fcsr when !m.FloatingPointOn: return false;
            case Fflags: value = s.Fflags; return true;
            case Frm: value = s.Frm; return true;
            case Fcsr: value = s.Fcsr & 0xff; return true;
            case >= Cycle and <= HpmCounter31:
                if (hart.Privilege < PrivilegeMode.Machine && (m.Mcounteren & (1UL << (csr - Cycle))) == 0) return false;
                value = csr switch
                {
                    Cycle => Retired(hart) + m.CycleOffset,
                    Time => hart.Machine.Clock.Ticks,
                    Instret => Retired(hart) + m.InstretOffset,
                    _ => 0,
                };
                return true;
            case Mcycle: value = Retired(hart) + m.CycleOffset; return true;
            case Minstret: value = Retired(hart) + m.InstretOffset; return true;
            case >= MhpmCounter3 and <= MhpmCounter31: return true;
            case >= MhpmEvent3 and <= MhpmEvent31: return true;
            case Mcountinhibit or Menvcfg: return true;
            case Mstatus:
                value = m.Mstatus | ((m.Mstatus & MstatusBits.Fs) == MstatusBits.FsDirty ? MstatusBits.Sd : 0);
                return true;
            case Misa: value = MisaValue; return true;
            // No S mode, so nothing can be delegated; they exist (read as zero) as on the virt board.
            case Medeleg or Mideleg or Satp: value = csr == Satp ? m.Satp : 0; return true;
            case Mie: value = m.Mie; return true;
            case Mtvec: value = m.Mtvec; return true;
            case Mcounteren: value = m.Mcounteren; return true;
            case Mscratch: value = m.Mscratch; return true;
            case Mepc: value = m.Mepc; return true;
            case Mcause: value = m.Mcause; return true;
            case Mtval: value = m.Mtval; return true;
            case Mip: value = hart.InterruptLines; return true;
            case >= PmpCfg0 and <= PmpCfg15:
            case >= PmpAddr0 and <= PmpAddr63:
                return hart.Pmp is { } pmp && pmp.TryReadCsr(csr - PmpCfg0, out value);
            // Debug triggers: none implemented, so tselect reads 0 and tdata1 reads 0 (no trigger type).
            case >= Tselect and <= Tdata3: return true;
            case Mvendorid or Marchid or Mimpid or Mconfigptr: return true;
            case Mhartid: value = (ulong)hart.Id; return true;
            default: return false;
        }
    }

    private static CsrResult Write(Hart hart, int csr, ulong value)
    {
        var s = hart.State;
        var m = hart.Csr;
        switch (csr)
        {
            case Fflags: s.Fflags = (uint)value; break;
            case Frm: s.Frm = (uint)value; break;
            case Fcsr: s.Fcsr = (uint)value & 0xff; break;
            case Mcycle: m.CycleOffset = value - Retired(hart) - 1; return CsrResult.Done;
            case Minstret: m.InstretOffset = value - Retired(hart) - 1; return CsrResult.Done;
            case Mstatus:
            {
                ulong next = (m.Mstatus & ~MstatusBits.Writable) | (value & MstatusBits.Writable);
                // MPP is WARL: only M and U exist; S or the reserved value become U.
                if ((next & MstatusBits.Mpp) != MstatusBits.Mpp) next &= ~MstatusBits.Mpp;
                m.Mstatus = next;
                // MPRV and MPP decide how loads and stores are checked: cached translations are stale.
                hart.FlushTlb();
                return CsrResult.InterruptsMayChange;
            }
            case Mie: m.Mie = value & InterruptBits.Machine; return CsrResult.InterruptsMayChange;
            case Mtvec:
                // MODE 2 and 3 are reserved: such a write is ignored, as QEMU does.
                if ((value & 3) < 2) m.Mtvec = value;
                break;
            case Mcounteren: m.Mcounteren = value & 0xffff_ffff; break;
            case Mscratch: m.Mscratch = value; break;
            case Mepc: m.Mepc = value & ~1UL; break;
            case Mcause: m.Mcause = value; break;
            case Mtval: m.Mtval = value; break;
            case Satp:
                if (value >> 60 == 0) m.Satp = 0;
                break;
            case >= PmpCfg0 and <= PmpCfg15:
            case >= PmpAddr0 and <= PmpAddr63:
                if (hart.Pmp is not { } pmp || !pmp.TryWriteCsr(csr - PmpCfg0, value)) return CsrResult.Illegal;
                hart.FlushTlb();
                return CsrResult.InterruptsMayChange;
        }
        if (csr is Fflags or Frm or Fcsr) m.Mstatus |= MstatusBits.FsDirty;
        return CsrResult.Done;
    }

    /// <summary>Instructions retired so far, counting the CSR instruction itself.</summary>
    private static ulong Retired(Hart hart) => hart.InstructionsRetired + (ulong)hart.InFlight;
}
