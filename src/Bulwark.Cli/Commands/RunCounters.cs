using Bulwark.Kernel;
using Bulwark.Kernel.Protections.DoubleFetchDetection;
using Bulwark.Kernel.Protections.Midas;
using Bulwark.Kernel.Protections.Passwords;

namespace Bulwark.Cli.Commands;

/// <summary>One figure of a finished run: its JSON key, its --stats label, its value (a whole number, a
/// real number or a name) and how the table shows it.</summary>
public sealed record Counter(string Key, string Label, object Value, string Shown)
{
    public static Counter Count(string key, string label, long value) => new(key, label, value, value.ToString("N0"));
}

/// <summary>The figures of a finished run, in one list that both --stats (a table) and --stats-json print,
/// so the two cannot disagree.</summary>
public static class RunCounters
{
    public static List<Counter> Of(KernelCore kernel)
    {
        var s = kernel.Stats;
        double mips = s.HostSeconds > 0 ? s.Instructions / s.HostSeconds / 1e6 : 0;
        var counters = new List<Counter>
        {
            Counter.Count("instructions", "instructions", s.Instructions),
            Counter.Count("syscalls", "syscalls", s.Syscalls),
            Counter.Count("page_faults", "page faults", s.PageFaults),
            Counter.Count("context_switches", "context switches", s.ContextSwitches),
            Counter.Count("kernel_preemptions", "kernel preemptions", s.KernelPreemptions),
            new("peak_guest_memory_bytes", "peak guest memory", s.PeakGuestFrames * 4096L, $"{s.PeakGuestFrames * 4} KiB"),
            Counter.Count("out_of_memory_kills", "killed for want of memory", s.OutOfMemoryKills),
            new("virtual_time_ns", "virtual time", (long)kernel.NowNs, $"{kernel.NowNs / 1e6:F3} ms"),
            new("host_seconds", "host time", s.HostSeconds, $"{s.HostSeconds:F3} s"),
            new("mips", "MIPS", mips, mips.ToString("F1")),
        };
        counters.AddRange(EngineCounters.Of(kernel.Machine.Engine, s.Instructions));
        foreach (var (name, count) in s.UnknownSyscalls) counters.Add(Counter.Count($"enosys.{name}", $"ENOSYS {name}", count));
        if (kernel.UserAccess is MidasProtection midas)
        {
            counters.Add(Counter.Count("midas.pages_protected", "midas: pages protected", midas.Stats.PagesProtected));
            counters.Add(Counter.Count("midas.versions_created", "midas: versions created", midas.Stats.VersionsCreated));
            counters.Add(Counter.Count("midas.bytes_copied", "midas: bytes copied", midas.Stats.BytesCopied));
            counters.Add(Counter.Count("midas.write_faults", "midas: write faults", midas.Stats.WriteFaults));
            counters.Add(new("midas.peak_extra_bytes", "midas: peak extra memory", midas.Stats.PeakExtraBytes, $"{midas.Stats.PeakExtraBytes / 1024} KiB"));
        }
        if (kernel.UserAccess is DoubleFetchDetector detector)
        {
            counters.Add(Counter.Count("double_fetch.same_bytes", "double fetches (same bytes)", detector.TrueDoubleFetches));
            counters.Add(Counter.Count("double_fetch.changed", "  of which changed in between", detector.ChangedDoubleFetches));
            counters.Add(Counter.Count("double_fetch.false_positives", "false positives (page sharing)", detector.FalsePositives));
        }
        AddPasswords(counters, kernel.Shared);
        return counters;
    }

    /// <summary>The shared part's protection: far accesses, failed checks, refreshes after rotation, and per
    /// user the faults counted, the blame and the delays imposed.</summary>
    private static void AddPasswords(List<Counter> counters, SharedSegments shared)
    {
        if (shared.Mode == SharedProtectionMode.None && shared.Stats.SegmentsCreated == 0) return;
        var s = shared.Stats;
        string mode = SharedProtectionModes.Name(shared.Mode);
        counters.Add(new("pwd.memory_protection", "pwd: memory protection", mode, mode));
        counters.Add(Counter.Count("pwd.segments_created", "pwd: segments created", s.SegmentsCreated));
        counters.Add(Counter.Count("pwd.far_accesses", "pwd: far accesses", shared.Far?.FarAccesses ?? 0));
        counters.Add(Counter.Count("pwd.checks_failed", "pwd: checks failed", (shared.Far?.ChecksFailed ?? 0) + s.LibraryChecksFailed));
        counters.Add(Counter.Count("pwd.check_signals", "pwd: SIGSEGVs for failed checks", s.CheckSignals));
        counters.Add(Counter.Count("pwd.shared_faults", "pwd: faults in the shared part", s.SharedFaults));
        counters.Add(Counter.Count("pwd.refreshes", "pwd: refreshes after rotation", s.Refreshes));
        counters.Add(Counter.Count("pwd.rotations", "pwd: rotations", s.Rotations));
        foreach (var user in shared.Throttle.Users)
        {
            counters.Add(Counter.Count($"pwd.uid{user.Uid}.faults", $"pwd: uid {user.Uid} faults", user.Faults));
            counters.Add(Counter.Count($"pwd.uid{user.Uid}.blamed", $"pwd: uid {user.Uid} blamed", user.Blamed));
            counters.Add(new($"pwd.uid{user.Uid}.delays", $"pwd: uid {user.Uid} delays imposed", user.Delays, $"{user.Delays:N0}, {user.DelayNs / 1e6:F3} ms"));
            counters.Add(new($"pwd.uid{user.Uid}.delay_ns", $"pwd: uid {user.Uid} delay in total", (long)user.DelayNs, $"{user.DelayNs / 1e6:F3} ms"));
        }
    }
}
