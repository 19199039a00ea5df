namespace Bulwark.Machine.Cpu;

/// <summary>RISC-V privilege levels, numbered as in mstatus.MPP. Bulwark implements M and U: the Linux
/// platform runs harts in U mode only (its kernel is C#); the system board starts them in M mode.</summary>
public enum PrivilegeMode : byte
{
    User = 0,
    Supervisor = 1,
    Machine = 3,
}
