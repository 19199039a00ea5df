namespace Bulwark.Kernel;

/// <summary>A kernel memory-safety violation detected by a checked kernel heap: the run stops (status 125).</summary>
public sealed class KernelViolationException(string kind, long bytes, string handler, string cve, string detail)
    : Exception($"violation: {kind}, {bytes} bytes out of bounds, handler {handler} ({cve}): {detail}")
{
    public string Kind { get; } = kind;
    public long Bytes { get; } = bytes;
    public string Handler { get; } = handler;
    public string Cve { get; } = cve;
}
