using System.Globalization;
using System.Text;
using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Signals;

namespace Bulwark.Kernel.Fs.Proc;

/// <summary>The text of /proc's files, in Linux's formats.</summary>
public static class ProcText
{
    private static CultureInfo Inv => CultureInfo.InvariantCulture;

    public static string CpuInfo(KernelCore kernel)
    {
        var sb = new StringBuilder();
        for (int h = 0; h < kernel.Options.Harts; h++)
            sb.Append(Inv, $"processor\t: {h}\nhart\t\t: {h}\nisa\t\t: rv64imafdc_zba_zbb_zbs\nmmu\t\t: sv39\n\n");
        return sb.ToString();
    }

    public static string MemInfo(KernelCore kernel)
    {
        ulong total = kernel.Options.MemoryBytes / 1024;
        ulong used = (ulong)kernel.Machine.Memory.FramesInUse * 4;
        ulong free = total > used ? total - used : 0;
        var sb = new StringBuilder();
        void Line(string name, ulong kb) => sb.Append(Inv, $"{name + ":",-16}{kb,8} kB\n");
        Line("MemTotal", total);
        Line("MemFree", free);
        Line("MemAvailable", free);
        foreach (var name in new[] { "Buffers", "Cached", "SwapCached", "Active", "Inactive", "SwapTotal", "SwapFree", "Dirty", "Writeback", "Shmem" })
            Line(name, 0);
        Line("AnonPages", used);
        return sb.ToString();
    }

    public static string Uptime(KernelCore kernel)
    {
        double seconds = kernel.NowNs / 1e9;
        return string.Format(Inv, "{0:F2} {1:F2}\n", seconds, 0.0);
    }

    public static string LoadAvg(KernelCore kernel)
    {
        int running = kernel.Processes.SelectMany(p => p.Threads).Count(t => t.State is RunState.OnHart or RunState.Ready);
        int last = kernel.Processes.Select(p => p.Pid).DefaultIfEmpty(0).Max();
        return string.Format(Inv, "0.00 0.00 0.00 {0}/{1} {2}\n", running, kernel.TaskCount, last);
    }

    public static string Stat(KernelCore kernel)
    {
        var sb = new StringBuilder("cpu  0 0 0 0 0 0 0 0 0 0\n");
        for (int h = 0; h < kernel.Options.Harts; h++) sb.Append(Inv, $"cpu{h} 0 0 0 0 0 0 0 0 0 0\n");
        sb.Append(Inv, $"ctxt {kernel.Stats.ContextSwitches}\nbtime {Syscalls.TimeSyscalls.RealtimeEpochNs / 1_000_000_000}\n");
        sb.Append(Inv, $"processes {kernel.Processes.Count()}\nprocs_running 1\nprocs_blocked 0\n");
        return sb.ToString();
    }

    private static char StateOf(Process p) =>
        p.Exited ? 'Z' : p.Threads.Any(t => t.State is RunState.OnHart or RunState.Ready) ? 'R' : 'S';

    private static string StateName(char state) => state switch { 'R' => "R (running)", 'Z' => "Z (zombie)", _ => "S (sleeping)" };

    private static ulong VmBytes(Process p) => p.Exited ? 0 : p.AddressSpace.Vmas.Aggregate(0UL, (sum, v) => sum + (v.End - v.Start));

    private static ulong ResidentPages(Process p)
    {
        if (p.Exited) return 0;
        ulong pages = 0;
        var table = p.AddressSpace.PageTable;
        foreach (var v in p.AddressSpace.Vmas)
            for (ulong va = v.Start; va < v.End; va += AddressSpace.PageSize)
                if (table.GetLeaf(va) != 0) pages++;
        return pages;
    }

    private static (ulong Ignored, ulong Caught) SignalDispositions(Process p)
    {
        ulong ignored = 0, caught = 0;
        for (int s = 1; s <= SignalActions.Count; s++)
        {
            var a = p.SignalActions[s];
            if (a.Handler == SignalAction.Ignore) ignored |= Signal.Bit(s);
            else if (a.Handler != SignalAction.Default) caught |= Signal.Bit(s);
        }
        return (ignored, caught);
    }

    public static string Status(KernelCore kernel, Process p)
    {
        var main = p.Threads.FirstOrDefault(t => t.State != RunState.Dead);
        var (ignored, caught) = SignalDispositions(p);
        int harts = kernel.Options.Harts;
        ulong vm = VmBytes(p) / 1024, rss = ResidentPages(p) * 4;
        var sb = new StringBuilder();
        sb.Append(Inv, $"Name:\t{p.Comm}\nUmask:\t{Convert.ToString(p.Umask, 8).PadLeft(4, '0')}\nState:\t{StateName(StateOf(p))}\n");
        sb.Append(Inv, $"Tgid:\t{p.Pid}\nNgid:\t0\nPid:\t{p.Pid}\nPPid:\t{p.Parent?.Pid ?? 0}\nTracerPid:\t0\n");
        int uid = Syscalls.InfoSyscalls.Uid, gid = Syscalls.InfoSyscalls.Gid;
        sb.Append(Inv, $"Uid:\t{uid}\t{uid}\t{uid}\t{uid}\nGid:\t{gid}\t{gid}\t{gid}\t{gid}\n");
        sb.Append(Inv, $"FDSize:\t{Math.Max(64, (p.Files.Descriptors.DefaultIfEmpty(0).Max() + 64) / 64 * 64)}\nGroups:\t{gid}\n");
        sb.Append(Inv, $"VmPeak:\t{vm,8} kB\nVmSize:\t{vm,8} kB\nVmRSS:\t{rss,8} kB\n");
        sb.Append(Inv, $"Threads:\t{p.Threads.Count(t => t.State != RunState.Dead)}\n");
        sb.Append(Inv, $"SigQ:\t0/{InfoSyscallsLimits.SignalQueue}\nSigPnd:\t{main?.PendingSignals ?? 0:x16}\nShdPnd:\t{0:x16}\n");
        sb.Append(Inv, $"SigBlk:\t{main?.SignalMask ?? 0:x16}\nSigIgn:\t{ignored:x16}\nSigCgt:\t{caught:x16}\n");
        sb.Append(Inv, $"Cpus_allowed:\t{(harts >= 64 ? ulong.MaxValue : (1UL << harts) - 1):x}\nCpus_allowed_list:\t0-{harts - 1}\n");
        sb.Append(Inv, $"voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
        return sb.ToString();
    }

    /// <summary>/proc/PID/stat: the 52 fields of fs/proc/array.c, times in clock ticks of virtual time.</summary>
    public static string PidStat(KernelCore kernel, Process p)
    {
        var main = p.Threads.FirstOrDefault(t => t.State != RunState.Dead);
        int threads = p.Threads.Count(t => t.State != RunState.Dead);
        var (ignored, caught) = SignalDispositions(p);
        ulong startStack = AddressSpace.StackTop;
        var fields = new object[]
        {
            p.Pid, $"({p.Comm})", StateOf(p), p.Parent?.Pid ?? 0, p.Pid, p.Pid, 0, -1, 4194304,
            0, 0, 0, 0, 0, 0, 0, 0, 20, 0, threads, 0, 0, VmBytes(p), ResidentPages(p), ulong.MaxValue,
            0, 0, startStack, 0, 0, main?.PendingSignals ?? 0, main?.SignalMask ?? 0, ignored, caught, 0, 0, 0, 17, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, p.Exited ? p.WaitStatus : 0,
        };
        return string.Join(' ', fields.Select(f => Convert.ToString(f, Inv))) + "\n";
    }

    public static string Statm(Process p)
    {
        ulong size = VmBytes(p) / AddressSpace.PageSize, rss = ResidentPages(p);
        return string.Format(Inv, "{0} {1} 0 0 0 0 0\n", size, rss);
    }

    /// <summary>/proc/PID/maps: one line per area, the program's areas named by its path.</summary>
    public static string Maps(Process p)
    {
        if (p.Exited) return "";
        var sb = new StringBuilder();
        foreach (var v in p.AddressSpace.Vmas)
        {
            string name = v.Name switch
            {
                "[program]" => p.ExePath,
                "[anon]" or "[file]" => "",
                _ => v.Name,
            };
            var line = new StringBuilder();
            line.Append(Inv, $"{v.Start:x8}-{v.End:x8} ");
            line.Append((v.Protection & Protection.Read) != 0 ? 'r' : '-');
            line.Append((v.Protection & Protection.Write) != 0 ? 'w' : '-');
            line.Append((v.Protection & Protection.Exec) != 0 ? 'x' : '-');
            line.Append(v.Shared ? 's' : 'p');
            line.Append(" 00000000 00:00 0");
            if (name.Length > 0) line.Append(' ', Math.Max(1, 73 - line.Length)).Append(name);
            sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }
}

/// <summary>Limits /proc shows.</summary>
internal static class InfoSyscallsLimits
{
    public const int SignalQueue = 63704;
}
