namespace Bulwark.Kernel;

/// <summary>How a run ended: the exit status `bulwark run` returns, and the line explaining an
/// abnormal end (a killing signal, a deadlock, a kernel error), if any.</summary>
public sealed record RunResult(int ExitStatus, string? Message)
{
    /// <summary>Status of a run stopped by a detected kernel memory-safety violation.</summary>
    public const int ViolationStatus = 125;

    public bool IsViolation => ExitStatus == ViolationStatus && Message?.StartsWith("violation:") == true;
}

/// <summary>A fatal condition of the run that is not the guest's own exit (deadlock, --strict
/// refusal, instruction limit, guest memory exhausted).</summary>
public sealed class KernelPanicException(string message, int status = 126) : Exception(message)
{
    public int Status { get; } = status;
}
