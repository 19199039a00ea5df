using Bulwark.Machine.Cpu;
using Bulwark.S3k.Processes;

namespace Bulwark.S3k.Kernel;

/// <summary>exception.c: a process's exceptions go to its own trap handler (TPC/TSP), with the cause,
/// value, pc and sp saved in ECAUSE/EVAL/EPC/ESP; the handler returns with mret, sret or uret, whose
/// illegal-instruction trap in U mode restores the pc and sp.</summary>
public static class Exceptions
{
    private const ulong Mret = 0x30200073, Sret = 0x10200073, Uret = 0x00200073;

    public static void Handle(Process p, TrapCause cause, ulong value)
    {
        if (cause == TrapCause.IllegalInstruction && value is Mret or Sret or Uret)
        {
            p[Reg.Pc] = p[Reg.Epc];
            p[Reg.Sp] = p[Reg.Esp];
            p[Reg.Ecause] = 0;
            p[Reg.Eval] = 0;
            p[Reg.Epc] = 0;
            p[Reg.Esp] = 0;
            return;
        }
        p[Reg.Ecause] = (ulong)cause;
        p[Reg.Eval] = value;
        p[Reg.Epc] = p[Reg.Pc];
        p[Reg.Esp] = p[Reg.Sp];
        p[Reg.Pc] = p[Reg.Tpc];
        p[Reg.Sp] = p[Reg.Tsp];
    }
}
