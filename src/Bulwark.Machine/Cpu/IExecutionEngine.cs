namespace Bulwark.Machine.Cpu;

/// <summary>Runs a hart's user code. The pre-decoding interpreter is one engine; a block-translating
/// engine can replace it behind this interface.</summary>
public interface IExecutionEngine
{
    /// <summary>Executes at most <paramref name="budget"/> instructions and says why it stopped.</summary>
    StopReason Run(Hart hart, long budget);
}

/// <summary>Custom-0..3 opcodes are delegated to an extension (e.g. password-checked loads).</summary>
public interface ICustomInstructionUnit
{
    /// <summary>Executes the instruction, returning false if it is illegal.</summary>
    bool Execute(Hart hart, in DecodedInsn insn);
}

/// <summary>Given a chance to resolve a user access that the MMU refused (demand paging,
/// copy-on-write, a protection's write fault). Returns true if the access should be retried.</summary>
public interface IMemoryFaultHandler
{
    bool TryResolve(Hart hart, ulong va, Translation.AccessType access);
}
