using System.CommandLine;
using System.Diagnostics;
using Bulwark.Machine.Devices;
using Bulwark.Machine.Devices.Virtio;
using Bulwark.Machine.Elf;
using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.Machine.Scheduling;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark system`: the QEMU-virt-like board in machine mode, running bare-metal ELFs (a kernel
/// and its programs, or an ISA test) the way `qemu-system-riscv64 -M virt -bios none` runs them.</summary>
public static class SystemCommand
{
    public static Command Create()
    {
        var elfs = new Argument<string[]>("elf") { Description = "ELF files, each loaded at its physical addresses", Arity = ArgumentArity.OneOrMore };
        var harts = new Option<int>("--harts") { HelpName = "N", Description = "Harts (1 to 8)", DefaultValueFactory = _ => 1 };
        var disk = new Option<string?>("--disk") { HelpName = "IMAGE", Description = "Disk image of the virtio-blk device in slot 0 (a copy: the file is never written)" };
        var diskReadOnly = new Option<bool>("--disk-read-only") { Description = "Offer the disk read-only (VIRTIO_BLK_F_RO: writes fail with IOERR)" };
        var virtioVersion = new Option<int>("--virtio-version") { HelpName = "1|2", Description = "virtio-mmio version: 1 (legacy, QEMU's default) or 2", DefaultValueFactory = _ => 1 };
        var memory = new Option<string>("--memory") { HelpName = "SIZE", Description = "RAM at 0x80000000, e.g. 128M", DefaultValueFactory = _ => "128M" };
        var icount = new Option<int>("--icount") { HelpName = "SHIFT", Description = "One instruction takes 2^SHIFT ns of virtual time (as QEMU's -icount)", DefaultValueFactory = _ => 0 };
        var maxTime = new Option<double?>("--max-time") { HelpName = "SECONDS", Description = "Stop (status 124) at this much virtual time [default: no limit]" };
        var seed = new Option<ulong>("--seed") { HelpName = "S", Description = "Seed of the hart scheduler and of device latencies", DefaultValueFactory = _ => 0 };
        var record = new Option<string?>("--record") { HelpName = "FILE", Description = "Write the schedule's decisions to FILE" };
        var replay = new Option<string?>("--replay") { HelpName = "FILE", Description = "Replay the schedule recorded in FILE" };
        var stats = new Option<bool>("--stats") { Description = "Print instructions, traps, interrupts, PMP faults and device counters on stderr at the end" };
        var traceDevices = new Option<bool>("--trace-devices") { Description = "Print every device event (malformed virtio chains, unimplemented registers...) on stderr" };
        var command = new Command("system", "Run bare-metal RISC-V ELFs on a QEMU-virt-like board (machine mode, PMP, CLINT, PLIC, UART, virtio-mmio)")
        {
            elfs, harts, memory, disk, diskReadOnly, virtioVersion, icount, maxTime, seed, record, replay, stats, traceDevices,
        };
        OptionRules.Require(harts, h => h is >= 1 and <= 8, "is not between 1 and 8 (the virt board's harts)");
        OptionRules.Require(virtioVersion, v => v is 1 or 2, "is not 1 or 2");
        OptionRules.Require(icount, s => s is >= 0 and <= 10, "is not a shift between 0 and 10");
        OptionRules.Require(maxTime, t => t is > 0 and < 1e9, "is not a positive number of seconds");
        OptionRules.Require(memory, m => Sizes.TryParse(m, out ulong bytes) && bytes >= (1UL << 20) && bytes % 4096 == 0 && bytes <= (16UL << 30),
            "is not a RAM size from 1M to 16G in whole pages (use K, M or G)");
        command.Validators.Add(r =>
        {
            if (r.GetValue(record) != null && r.GetValue(replay) != null) r.AddError("--record and --replay cannot be used together");
            if (r.GetValue(diskReadOnly) && r.GetValue(disk) == null) r.AddError("--disk-read-only needs --disk");
        });
        command.SetAction(p =>
        {
            Sizes.TryParse(p.GetValue(memory)!, out ulong ram);
            var explicitOptions = new Option[] { harts, seed, icount, maxTime }.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet();
            return Execute(new SystemSettings(p.GetValue(elfs)!, p.GetValue(harts), ram, p.GetValue(disk), p.GetValue(diskReadOnly), p.GetValue(virtioVersion), p.GetValue(icount), p.GetValue(maxTime), p.GetValue(seed),
                p.GetValue(record), p.GetValue(replay), p.GetValue(stats), p.GetValue(traceDevices), explicitOptions));
        });
        return command;
    }

    private sealed record SystemSettings(string[] Elfs, int Harts, ulong MemoryBytes, string? Disk, bool DiskReadOnly, int VirtioVersion, int IcountShift, double? MaxTime, ulong Seed,
        string? Record, string? Replay, bool Stats, bool TraceDevices, IReadOnlySet<string> ExplicitOptions);

    private static int Execute(SystemSettings s)
    {
        var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 12);
        try
        {
            ISchedulingStrategy strategy = new RandomStrategy(s.Seed);
            ScheduleRecording? recording = null;
            if (s.Replay != null)
            {
                strategy = recording = ScheduleRecording.Replay(s.Replay);
                var recorded = new RecordedSettingsReader(recording, s.Replay, s.ExplicitOptions);
                s = s with
                {
                    Seed = recorded.Number("seed", s.Seed),
                    Harts = recorded.Number("harts", s.Harts),
                    IcountShift = recorded.Number("icount", s.IcountShift),
                };
            }
            else if (s.Record != null) strategy = recording = ScheduleRecording.Record(strategy);
            foreach (var elf in s.Elfs)
                if (Directory.Exists(elf)) throw new ElfException($"{elf}: is a directory, not an ELF file");
            var diskImage = s.Disk == null ? null : LoadDisk(s.Disk, s.DiskReadOnly);

            var board = new QemuVirtBoard(new QemuVirtOptions
            {
                Harts = s.Harts,
                MemoryBytes = s.MemoryBytes,
                Seed = s.Seed,
                DeviceTrace = s.TraceDevices ? Console.Error : null,
                ConsoleOutput = stdout,
                ConsoleInput = Console.OpenStandardInput(),
                Disk = diskImage,
                VirtioVersion = s.VirtioVersion,
            });
            board.Load(s.Elfs);
            var timing = new BoardTiming
            {
                IcountShift = s.IcountShift,
                MaxTimeNs = s.MaxTime is { } seconds ? (ulong)Math.Round(seconds * 1e9) : null,
            };
            var watch = Stopwatch.StartNew();
            var result = board.Run(new ArchitecturalTraps(), strategy, timing);
            double hostSeconds = watch.Elapsed.TotalSeconds;
            stdout.Flush();
            if (result.Message != null) Console.Error.WriteLine(result.ExitStatus == 0 ? result.Message : $"bulwark: {result.Message}");
            if (s.Record != null)
                recording!.Save(s.Record, $"bulwark system of {string.Join(' ', s.Elfs.Select(Path.GetFileName))}", new Dictionary<string, string>
                {
                    ["seed"] = s.Seed.ToString(),
                    ["harts"] = s.Harts.ToString(),
                    ["icount"] = s.IcountShift.ToString(),
                });
            if (s.Replay != null && !recording!.Exhausted)
                Console.Error.WriteLine($"bulwark: warning: the run ended before using all decisions of {s.Replay}");
            if (s.Stats) PrintStats(board, hostSeconds);
            return result.ExitStatus;
        }
        catch (Exception e) when (e is ElfException or ScheduleException or DiskException)
        {
            stdout.Flush();
            Console.Error.WriteLine($"bulwark: error: {e.Message}");
            return RunCommand.InputError;
        }
    }

    internal sealed class DiskException(string message) : Exception(message);

    internal static DiskImage LoadDisk(string path, bool readOnly)
    {
        if (Directory.Exists(path)) throw new DiskException($"--disk {path}: is a directory");
        if (!File.Exists(path)) throw new DiskException($"--disk {path}: no such file");
        try { return DiskImage.FromFile(path, readOnly); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new DiskException($"--disk {path}: {e.Message}");
        }
    }

    private static void PrintStats(QemuVirtBoard board, double hostSeconds)
    {
        var machine = board.Machine;
        long instructions = machine.Harts.Sum(h => (long)h.InstructionsRetired);
        var table = new Table().Border(TableBorder.Simple).AddColumn("counter").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("instructions", instructions.ToString("N0"));
        foreach (var hart in machine.Harts)
            if (machine.Harts.Count > 1) table.AddRow($"  hart {hart.Id}", hart.InstructionsRetired.ToString("N0"));
        table.AddRow("exceptions taken", (board.Scheduler?.Exceptions ?? 0).ToString("N0"));
        table.AddRow("interrupts taken", (board.Scheduler?.Interrupts ?? 0).ToString("N0"));
        table.AddRow("PMP faults", board.PmpFaults.ToString("N0"));
        foreach (var mapping in machine.Bus.Devices)
            if (mapping.Device is IDeviceCounters counters)
                foreach (var (name, value) in counters.Counters) table.AddRow($"{mapping.Device.Name}: {name}", value.ToString("N0"));
        table.AddRow("virtual time", $"{machine.Clock.Nanoseconds / 1e6:F3} ms");
        table.AddRow("host time", $"{hostSeconds:F3} s");
        table.AddRow("MIPS", (hostSeconds > 0 ? instructions / hostSeconds / 1e6 : 0).ToString("F1"));
        Consoles.PlainStderr().Write(table);
    }
}
