using Bulwark.Kernel;
using Bulwark.Kernel.Protections.DoubleFetchDetection;
using Bulwark.Kernel.Protections.Midas;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>The --stats table, on stderr so the guest's stdout stays clean.</summary>
public static class StatsReport
{
    public static void Print(KernelCore kernel)
    {
        var s = kernel.Stats;
        var console = Consoles.PlainStderr();
        var table = new Table().Border(TableBorder.Simple).AddColumn("counter").AddColumn(new TableColumn("value").RightAligned());
        double mips = s.HostSeconds > 0 ? s.Instructions / s.HostSeconds / 1e6 : 0;
        table.AddRow("instructions", s.Instructions.ToString("N0"));
        table.AddRow("syscalls", s.Syscalls.ToString("N0"));
        table.AddRow("page faults", s.PageFaults.ToString("N0"));
        table.AddRow("context switches", s.ContextSwitches.ToString("N0"));
        table.AddRow("kernel preemptions", s.KernelPreemptions.ToString("N0"));
        table.AddRow("peak guest memory", $"{s.PeakGuestFrames * 4} KiB");
        if (s.OutOfMemoryKills > 0) table.AddRow("killed for want of memory", s.OutOfMemoryKills.ToString("N0"));
        table.AddRow("virtual time", $"{kernel.NowNs / 1e6:F3} ms");
        table.AddRow("host time", $"{s.HostSeconds:F3} s");
        table.AddRow("MIPS", mips.ToString("F1"));
        foreach (var (name, count) in s.UnknownSyscalls) table.AddRow($"ENOSYS {name}", count.ToString("N0"));
        if (kernel.UserAccess is MidasProtection midas)
        {
            table.AddRow("midas: pages protected", midas.Stats.PagesProtected.ToString("N0"));
            table.AddRow("midas: versions created", midas.Stats.VersionsCreated.ToString("N0"));
            table.AddRow("midas: bytes copied", midas.Stats.BytesCopied.ToString("N0"));
            table.AddRow("midas: write faults", midas.Stats.WriteFaults.ToString("N0"));
            table.AddRow("midas: peak extra memory", $"{midas.Stats.PeakExtraBytes / 1024} KiB");
        }
        if (kernel.UserAccess is DoubleFetchDetector detector)
        {
            table.AddRow("double fetches (same bytes)", detector.TrueDoubleFetches.ToString("N0"));
            table.AddRow("  of which changed in between", detector.ChangedDoubleFetches.ToString("N0"));
            table.AddRow("false positives (page sharing)", detector.FalsePositives.ToString("N0"));
        }
        console.Write(table);
    }
}
