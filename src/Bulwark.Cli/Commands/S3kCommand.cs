using System.CommandLine;
using System.Diagnostics;
using Bulwark.Machine.Elf;
using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.Machine.Scheduling;
using Bulwark.S3k;
using Bulwark.S3k.Platforms;
using Bulwark.S3k.Syscalls;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark s3k`: the s3k course's programs on the QEMU-virt-like board with the C# s3k kernel in
/// place of the real one: what `bulwark system kernel.elf APP0.elf ...` does with the real kernel.</summary>
public static class S3kCommand
{
    public static Command Create()
    {
        var elfs = new Argument<string[]>("app") { Description = "The apps' ELF files (APP0.elf first, linked at 0x80010000), each loaded at its physical addresses", Arity = ArgumentArity.OneOrMore };
        var harts = new Option<int>("--harts") { HelpName = "N", Description = "1 (platform qemu_virt) or 4 (qemu_virt4)", DefaultValueFactory = _ => 1 };
        var disk = new Option<string?>("--disk") { HelpName = "IMAGE", Description = "Disk image of the virtio-blk device in slot 0 (a copy: the file is never written)" };
        var diskReadOnly = new Option<bool>("--disk-read-only") { Description = "Offer the disk read-only (VIRTIO_BLK_F_RO: writes fail with IOERR)" };
        var virtioVersion = new Option<int>("--virtio-version") { HelpName = "1|2", Description = "virtio-mmio version: 1 (legacy, QEMU's default, what the course's driver speaks) or 2", DefaultValueFactory = _ => 1 };
        var memory = new Option<string>("--memory") { HelpName = "SIZE", Description = "RAM at 0x80000000, e.g. 128M", DefaultValueFactory = _ => "128M" };
        var icount = new Option<int>("--icount") { HelpName = "SHIFT", Description = "One instruction takes 2^SHIFT ns of virtual time (as QEMU's -icount)", DefaultValueFactory = _ => 0 };
        var maxTime = new Option<double?>("--max-time") { HelpName = "SECONDS", Description = "Stop (status 124) at this much virtual time [default: no limit]" };
        var seed = new Option<ulong>("--seed") { HelpName = "S", Description = "Seed of the hart scheduler", DefaultValueFactory = _ => 0 };
        var record = new Option<string?>("--record") { HelpName = "FILE", Description = "Write the schedule's decisions to FILE" };
        var replay = new Option<string?>("--replay") { HelpName = "FILE", Description = "Replay the schedule recorded in FILE" };
        var stats = new Option<bool>("--stats") { Description = "Print system calls per number, errors per code, IPC messages, revocations and preemptions on stderr at the end" };
        var traceCaps = new Option<bool>("--trace-caps") { Description = "Print every capability operation (derive, move, delete, revoke, IPC transfer) with its table slots on stderr" };
        var traceSyscalls = new Option<bool>("--trace-syscalls") { Description = "Print every system call and its result on stderr" };
        var procs = new Option<int>("--procs") { HelpName = "N", Description = "Processes (S3K_PROC_CNT)", DefaultValueFactory = _ => 2 };
        var caps = new Option<int>("--caps") { HelpName = "N", Description = "Capability slots per process (S3K_CAP_CNT)", DefaultValueFactory = _ => 32 };
        var channels = new Option<int>("--channels") { HelpName = "N", Description = "IPC channels (S3K_CHAN_CNT)", DefaultValueFactory = _ => 2 };
        var slots = new Option<int>("--slots") { HelpName = "N", Description = "Time slots per period (S3K_SLOT_CNT)", DefaultValueFactory = _ => 32 };
        var slotTicks = new Option<ulong?>("--slot-ticks") { HelpName = "N", Description = "mtime ticks per slot (S3K_SLOT_LEN) [default: 1000000 / slots]" };
        var verbosity = new Option<int>("--verbosity") { HelpName = "N", Description = "The kernel's VERBOSITY: 1 adds schedule updates, 2 every dispatch", DefaultValueFactory = _ => 0 };
        var command = new Command("s3k", "Run the s3k course's programs on the QEMU-virt-like board with Bulwark's C# s3k kernel")
        {
            elfs, harts, memory, disk, diskReadOnly, virtioVersion, icount, maxTime, seed, record, replay, stats, traceCaps, traceSyscalls,
            procs, caps, channels, slots, slotTicks, verbosity,
        };
        OptionRules.Require(harts, h => h is 1 or 4, "is not 1 (qemu_virt) or 4 (qemu_virt4)");
        OptionRules.Require(virtioVersion, v => v is 1 or 2, "is not 1 or 2");
        OptionRules.Require(icount, s => s is >= 0 and <= 10, "is not a shift between 0 and 10");
        OptionRules.Require(maxTime, t => t is > 0 and < 1e9, "is not a positive number of seconds");
        OptionRules.Require(memory, m => Sizes.TryParse(m, out ulong bytes) && bytes >= (1UL << 20) && bytes % 4096 == 0 && bytes <= (16UL << 30),
            "is not a RAM size from 1M to 16G in whole pages (use K, M or G)");
        OptionRules.Require(procs, n => n is >= 1 and <= 256, "is not between 1 and 256");
        OptionRules.Require(caps, n => n is >= 10 and <= 65535, "is not between 10 (the boot capabilities) and 65535");
        OptionRules.Require(channels, n => n is >= 1 and <= 65535, "is not between 1 and 65535");
        OptionRules.Require(slots, n => n is >= 1 and <= 255, "is not between 1 and 255");
        OptionRules.Require(slotTicks, n => n is >= 10, "is not at least 10 ticks");
        OptionRules.Require(verbosity, n => n is >= 0 and <= 2, "is not 0, 1 or 2");
        command.Validators.Add(r =>
        {
            if (r.GetValue(record) != null && r.GetValue(replay) != null) r.AddError("--record and --replay cannot be used together");
            if (r.GetValue(diskReadOnly) && r.GetValue(disk) == null) r.AddError("--disk-read-only needs --disk");
        });
        command.SetAction(p =>
        {
            Sizes.TryParse(p.GetValue(memory)!, out ulong ram);
            int slotCount = p.GetValue(slots);
            var config = new S3kConfig
            {
                Platform = S3kPlatform.ForHarts(p.GetValue(harts)),
                ProcCount = p.GetValue(procs),
                CapCount = p.GetValue(caps),
                ChanCount = p.GetValue(channels),
                SlotCount = slotCount,
                SlotTicks = p.GetValue(slotTicks) ?? S3kConfig.RtcHz / (ulong)slotCount,
                Verbosity = p.GetValue(verbosity),
            };
            var explicitOptions = new Option[] { seed, icount, maxTime }.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet();
            return Execute(new Settings(p.GetValue(elfs)!, config, ram, p.GetValue(disk), p.GetValue(diskReadOnly), p.GetValue(virtioVersion), p.GetValue(icount), p.GetValue(maxTime), p.GetValue(seed), p.GetValue(record),
                p.GetValue(replay), p.GetValue(stats), p.GetValue(traceCaps), p.GetValue(traceSyscalls), explicitOptions));
        });
        return command;
    }

    private sealed record Settings(string[] Elfs, S3kConfig Config, ulong MemoryBytes, string? Disk, bool DiskReadOnly, int VirtioVersion, int IcountShift, double? MaxTime, ulong Seed,
        string? Record, string? Replay, bool Stats, bool TraceCaps, bool TraceSyscalls, IReadOnlySet<string> ExplicitOptions);

    private static int Execute(Settings s)
    {
        var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 12);
        try
        {
            if (s.Config.Problem() is { } problem) throw new ArgumentException(problem);
            ISchedulingStrategy strategy = new RandomStrategy(s.Seed);
            ScheduleRecording? recording = null;
            if (s.Replay != null)
            {
                strategy = recording = ScheduleRecording.Replay(s.Replay);
                var recorded = new RecordedSettingsReader(recording, s.Replay, s.ExplicitOptions);
                s = s with
                {
                    Seed = recorded.Number("seed", s.Seed),
                    IcountShift = recorded.Number("icount", s.IcountShift),
                };
            }
            else if (s.Record != null) strategy = recording = ScheduleRecording.Record(strategy);
            foreach (var elf in s.Elfs)
                if (Directory.Exists(elf)) throw new ElfException($"{elf}: is a directory, not an ELF file");

            var system = new S3kSystem(s.Config, new QemuVirtOptions
            {
                MemoryBytes = s.MemoryBytes,
                Seed = s.Seed,
                ConsoleOutput = stdout,
                ConsoleInput = Console.OpenStandardInput(),
                Disk = s.Disk == null ? null : SystemCommand.LoadDisk(s.Disk, s.DiskReadOnly),
                VirtioVersion = s.VirtioVersion,
            });
            system.Load(s.Elfs);
            var trace = system.Kernel.Trace;
            var err = Console.Error;
            if (s.TraceCaps) trace.Caps = err;
            if (s.TraceSyscalls) trace.Syscalls = err;
            var timing = new BoardTiming
            {
                IcountShift = s.IcountShift,
                MaxTimeNs = s.MaxTime is { } seconds ? (ulong)Math.Round(seconds * 1e9) : null,
            };
            var watch = Stopwatch.StartNew();
            var result = system.Run(strategy, timing);
            double hostSeconds = watch.Elapsed.TotalSeconds;
            stdout.Flush();
            foreach (var fault in system.Kernel.Faults) Console.Error.WriteLine($"bulwark: s3k: {fault}");
            if (result.Message != null) Console.Error.WriteLine(result.ExitStatus == 0 ? result.Message : $"bulwark: {result.Message}");
            if (s.Record != null)
                recording!.Save(s.Record, $"bulwark s3k of {string.Join(' ', s.Elfs.Select(Path.GetFileName))}", new Dictionary<string, string>
                {
                    ["seed"] = s.Seed.ToString(),
                    ["icount"] = s.IcountShift.ToString(),
                });
            if (s.Replay != null && !recording!.Exhausted)
                Console.Error.WriteLine($"bulwark: warning: the run ended before using all decisions of {s.Replay}");
            if (s.Stats) PrintStats(system, hostSeconds);
            return result.ExitStatus;
        }
        catch (Exception e) when (e is ElfException or ScheduleException or ArgumentException or SystemCommand.DiskException)
        {
            stdout.Flush();
            Console.Error.WriteLine($"bulwark: error: {e.Message}");
            return RunCommand.InputError;
        }
    }

    private static void PrintStats(S3kSystem system, double hostSeconds)
    {
        var machine = system.Board.Machine;
        var trace = system.Kernel.Trace;
        long instructions = machine.Harts.Sum(h => (long)h.InstructionsRetired);
        var table = new Table().Border(TableBorder.Simple).AddColumn("counter").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("instructions", instructions.ToString("N0"));
        for (int n = 0; n < trace.SyscallCounts.Length; n++)
            if (trace.SyscallCounts[n] > 0) table.AddRow($"syscall {n} {SyscallNames.Name((ulong)n)}", trace.SyscallCounts[n].ToString("N0"));
        if (trace.InvalidSyscalls > 0) table.AddRow("syscall numbers past 24", trace.InvalidSyscalls.ToString("N0"));
        foreach (var (code, count) in trace.ErrorCounts.OrderBy(e => e.Key))
            table.AddRow($"result {(int)code} {code}", count.ToString("N0"));
        table.AddRow("IPC messages", trace.IpcMessages.ToString("N0"));
        table.AddRow("IPC capability transfers", trace.IpcCapabilities.ToString("N0"));
        table.AddRow("revocations", trace.Revocations.ToString("N0"));
        table.AddRow("revoke steps (descendants deleted)", trace.RevokeSteps.ToString("N0"));
        table.AddRow("preemptions (PREEMPTED returned)", trace.Preemptions.ToString("N0"));
        table.AddRow("exceptions to user handlers", trace.Exceptions.ToString("N0"));
        table.AddRow("timer interrupts", (system.Board.Scheduler?.Interrupts ?? 0).ToString("N0"));
        table.AddRow("PMP faults", system.Board.PmpFaults.ToString("N0"));
        table.AddRow("virtual time", $"{machine.Clock.Nanoseconds / 1e6:F3} ms");
        table.AddRow("host time", $"{hostSeconds:F3} s");
        Consoles.PlainStderr().Write(table);
    }
}
