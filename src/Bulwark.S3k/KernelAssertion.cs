namespace Bulwark.S3k;

/// <summary>A KASSERT of the real kernel failed: the hart that hit it prints (without NDEBUG)
/// "Kernel assertion failed at FILE:LINE." and spins forever with interrupts off. Raised where a
/// system call's argument passed s3k's narrowing validation but is out of range as a whole
/// (validation casts indexes to 16 bits, the handler uses all 64).</summary>
public sealed class KernelAssertion(string file, int line) : Exception($"Kernel assertion failed at {file}:{line}.")
{
    public string File { get; } = file;
    public int Line { get; } = line;
}
