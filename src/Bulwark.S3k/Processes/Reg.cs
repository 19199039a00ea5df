namespace Bulwark.S3k.Processes;

/// <summary>A process's registers as system calls number them: the program counter, x1..x31 at their
/// own numbers, then the virtual registers of the user trap handler and the IPC service time.</summary>
public enum Reg
{
    Pc = 0, Ra = 1, Sp = 2, Gp = 3, Tp = 4, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9,
    A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17,
    S2 = 18, S3 = 19, S4 = 20, S5 = 21, S6 = 22, S7 = 23, S8 = 24, S9 = 25, S10 = 26, S11 = 27,
    T3 = 28, T4 = 29, T5 = 30, T6 = 31,
    /// <summary>Trap handler pc and sp: where an exception sends the process.</summary>
    Tpc = 32, Tsp = 33,
    /// <summary>Where the exception happened (pc and sp), restored by mret/sret/uret from the handler.</summary>
    Epc = 34, Esp = 35,
    /// <summary>mcause and mtval of the exception.</summary>
    Ecause = 36, Eval = 37,
    /// <summary>The time a server needs to answer: a YIELD client must have this much left to send.</summary>
    ServTime = 38,
    Count = 39,
}
