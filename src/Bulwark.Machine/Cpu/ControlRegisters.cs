namespace Bulwark.Machine.Cpu;

/// <summary>The CSRs user mode may touch: the floating-point ones and the read-only counters.</summary>
internal static class ControlRegisters
{
    private const int Fflags = 0x001, Frm = 0x002, Fcsr = 0x003;
    private const int Cycle = 0xC00, Time = 0xC01, Instret = 0xC02;

    public static bool Execute(Hart hart, in DecodedInsn d, ulong[] x)
    {
        int csr = (int)(d.Imm & 0xfff);
        bool immediate = d.Op >= Op.Csrrwi;
        ulong operand = immediate ? d.Rs1 : x[d.Rs1];
        bool writes = d.Op is Op.Csrrw or Op.Csrrwi || d.Rs1 != 0;
        if (!TryRead(hart, csr, out ulong old)) return false;
        if (writes)
        {
            ulong value = d.Op switch
            {
                Op.Csrrw or Op.Csrrwi => operand,
                Op.Csrrs or Op.Csrrsi => old | operand,
                _ => old & ~operand,
            };
            if (!TryWrite(hart, csr, value)) return false;
        }
        x[d.Rd] = old;
        return true;
    }

    private static bool TryRead(Hart hart, int csr, out ulong value)
    {
        var s = hart.State;
        value = csr switch
        {
            Fflags => s.Fflags,
            Frm => s.Frm,
            Fcsr => s.Fcsr & 0xff,
            Cycle or Instret => hart.InstructionsRetired + (ulong)hart.InFlight,
            Time => hart.Machine.Clock.Ticks,
            _ => ulong.MaxValue,
        };
        return csr is Fflags or Frm or Fcsr or Cycle or Instret or Time;
    }

    private static bool TryWrite(Hart hart, int csr, ulong value)
    {
        var s = hart.State;
        switch (csr)
        {
            case Fflags: s.Fflags = (uint)value; return true;
            case Frm: s.Frm = (uint)value; return true;
            case Fcsr: s.Fcsr = (uint)value & 0xff; return true;
            default: return false;
        }
    }
}
