using System.Text;

namespace Bulwark.Lab.Debugging;

/// <summary>The register layout Bulwark gives gdb (qXfer target.xml), in GDB's RISC-V numbering: x0–x31
/// (0–31), pc (32), f0–f31 (33–64), then CSRs at 65 + their number: the floating-point ones (fflags,
/// frm, fcsr), which belong to the thread.</summary>
public static class RiscvTargetDescription
{
    public const int Pc = 32, FirstFloat = 33, FirstCsr = 65;
    public const int Fflags = FirstCsr + 0x001, Frm = FirstCsr + 0x002, Fcsr = FirstCsr + 0x003;

    private const string IntegerNames = "zero ra sp gp tp t0 t1 t2 fp s1 a0 a1 a2 a3 a4 a5 a6 a7 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 t3 t4 t5 t6";
    private const string FloatNames = "ft0 ft1 ft2 ft3 ft4 ft5 ft6 ft7 fs0 fs1 fa0 fa1 fa2 fa3 fa4 fa5 fa6 fa7 fs2 fs3 fs4 fs5 fs6 fs7 fs8 fs9 fs10 fs11 ft8 ft9 ft10 ft11";

    public static string Xml()
    {
        string[] integer = IntegerNames.Split(' '), floating = FloatNames.Split(' ');
        var x = new StringBuilder();
        x.Append("<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target><architecture>riscv:rv64</architecture>");
        x.Append("<feature name=\"org.gnu.gdb.riscv.cpu\">");
        for (int i = 0; i < 32; i++)
            x.Append($"<reg name=\"{integer[i]}\" bitsize=\"64\" type=\"{(i is 1 ? "code_ptr" : i is 2 or 8 ? "data_ptr" : "int")}\" regnum=\"{i}\"/>");
        x.Append($"<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"{Pc}\"/></feature>");
        x.Append("<feature name=\"org.gnu.gdb.riscv.fpu\">");
        for (int i = 0; i < 32; i++) x.Append($"<reg name=\"{floating[i]}\" bitsize=\"64\" type=\"ieee_double\" regnum=\"{FirstFloat + i}\"/>");
        x.Append($"<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"{Fflags}\"/>");
        x.Append($"<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"{Frm}\"/>");
        x.Append($"<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"{Fcsr}\"/></feature>");
        x.Append("</target>");
        return x.ToString();
    }
}
