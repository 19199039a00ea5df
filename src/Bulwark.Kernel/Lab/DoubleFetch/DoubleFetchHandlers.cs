using Bulwark.Kernel.Lab.DoubleFetch.Handlers;

namespace Bulwark.Kernel.Lab.DoubleFetch;

/// <summary>Every handler of /dev/dfbench, by request number.</summary>
public static class DoubleFetchHandlers
{
    public static IReadOnlyList<IDoubleFetchHandler> All { get; } =
    [
        new SizeCheckHandler(),
        new CountLeakHandler(),
        new DedupeRangeHandler(),
        new AuditExecveHandler(),
        new CrosEcXcmdHandler(),
        new MicVopHandler(),
        new HandleToPathHandler(),
        new PerfAttrHandler(),
        new NdCmdCallHandler(),
        new Win32kStringHandler(),
        new XenBlkifHandler(),
        new XenfbEventsHandler(),
        new MsndMidqHandler(),
        new FreeBsdCmsg32Handler(),
    ];
}
