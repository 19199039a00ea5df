using Bulwark.Kernel.Lab.DoubleFetch.Handlers;

namespace Bulwark.Kernel.Lab.DoubleFetch;

/// <summary>Every handler of /dev/dfbench, by request number.</summary>
public static class DoubleFetchHandlers
{
    public static IReadOnlyList<IDoubleFetchHandler> All { get; } =
    [
        new SizeCheckHandler(),
        new CountLeakHandler(),
    ];
}
