using System.CommandLine;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Devices.Virtio;
using Bulwark.Machine.Elf;
using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Cli.Commands;

/// <summary>What a run on the QEMU-virt-like board is given, whatever runs on it (`system`, `s3k`).</summary>
public sealed record BoardSettings(
    string[] Elfs, int Harts, ulong MemoryBytes, string? Disk, bool DiskReadOnly, bool DiskStall, int VirtioVersion, int IcountShift, double? MaxTime,
    ulong Seed, string? Record, string? Replay, bool Stats, IReadOnlySet<string> ExplicitOptions, int? GdbPort = null,
    EngineKind Engine = EngineKind.Jit, JitCompilation JitCompile = JitCompilation.Background);

/// <summary>The options every board command takes, with their rules; each command brings its own ELF
/// argument and harts option (the virt board takes 1 to 8 harts, an s3k platform 1 or 4).</summary>
public sealed class BoardOptions(Argument<string[]> elfs, Option<int> harts)
{
    private readonly Option<string> _memory = new("--memory") { HelpName = "SIZE", Description = "RAM at 0x80000000, e.g. 128M", DefaultValueFactory = _ => "128M" };
    private readonly Option<string?> _disk = new("--disk") { HelpName = "IMAGE", Description = "Disk image of the virtio-blk device in slot 0 (a copy: the file is never written)" };
    private readonly Option<bool> _diskReadOnly = new("--disk-read-only") { Description = "Offer the disk read-only (VIRTIO_BLK_F_RO: writes fail with IOERR)" };
    private readonly Option<bool> _diskStall = new("--disk-stall") { Description = "The disk accepts requests and never completes them (a hung device), until the driver resets it" };
    private readonly Option<int> _virtioVersion = new("--virtio-version") { HelpName = "1|2", Description = "virtio-mmio version: 1 (legacy, QEMU's default, what the s3k course's driver speaks) or 2", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _icount = new("--icount") { HelpName = "SHIFT", Description = "One instruction takes 2^SHIFT ns of virtual time (as QEMU's -icount)", DefaultValueFactory = _ => 0 };
    private readonly Option<double?> _maxTime = new("--max-time") { HelpName = "SECONDS", Description = "Stop (status 124) at this much virtual time [default: no limit]" };
    private readonly Option<ulong> _seed = new("--seed") { HelpName = "S", Description = "Seed of the hart scheduler and of device latencies", DefaultValueFactory = _ => 0 };
    private readonly Option<string?> _record = new("--record") { HelpName = "FILE", Description = "Write the schedule's decisions to FILE" };
    private readonly Option<string?> _replay = new("--replay") { HelpName = "FILE", Description = "Replay the schedule recorded in FILE (with the seed, harts and icount stored in it)" };
    private readonly Option<bool> _stats = new("--stats") { Description = "Print counters on stderr at the end" };
    private readonly Option<string> _engine = new("--engine") { HelpName = "interpreter|jit", Description = "What runs the harts' code: the interpreter, or jit (hot blocks compiled to .NET IL); results are the same", DefaultValueFactory = _ => "jit" };
    private readonly Option<string?> _jitCompile = EngineNames.JitCompileOption();
    private readonly Option<int?> _gdb = new("--gdb") { HelpName = "PORT", Description = "Wait for gdb on 127.0.0.1:PORT before the first instruction (one gdb thread per hart); the schedule is unchanged" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(elfs);
        foreach (var option in new Option[] { harts, _memory, _disk, _diskReadOnly, _diskStall, _virtioVersion, _icount, _maxTime, _seed, _record, _replay, _stats, _gdb, _engine, _jitCompile })
            command.Options.Add(option);
        OptionRules.Require(_virtioVersion, v => v is 1 or 2, "is not 1 or 2");
        OptionRules.Require(_engine, e => EngineNames.TryParse(e, out _), $"is not one of: {EngineNames.Choices}");
        EngineNames.RequireJitCompile(command, _engine, _jitCompile);
        OptionRules.Require(_gdb, p => p is >= 1 and <= 65535, "is not a TCP port (1 to 65535)");
        OptionRules.Require(_icount, s => s is >= 0 and <= 10, "is not a shift between 0 and 10");
        OptionRules.Require(_maxTime, t => t is > 0 and < 1e9, "is not a positive number of seconds");
        OptionRules.Require(_memory, m => Sizes.TryParse(m, out ulong bytes) && bytes >= (1UL << 20) && bytes % 4096 == 0 && bytes <= (16UL << 30),
            "is not a RAM size from 1M to 16G in whole pages (use K, M or G)");
        command.Validators.Add(r =>
        {
            if (r.GetValue(_record) != null && r.GetValue(_replay) != null) r.AddError("--record and --replay cannot be used together");
            if (r.GetValue(_diskReadOnly) && r.GetValue(_disk) == null) r.AddError("--disk-read-only needs --disk");
            if (r.GetValue(_diskStall) && r.GetValue(_disk) == null) r.AddError("--disk-stall needs --disk");
        });
    }

    public BoardSettings Read(ParseResult p)
    {
        ulong ram = Sizes.Parse(p.GetValue(_memory)!);
        var explicitOptions = new Option[] { harts, _seed, _icount }.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet();
        return new BoardSettings(p.GetValue(elfs)!, p.GetValue(harts), ram, p.GetValue(_disk), p.GetValue(_diskReadOnly), p.GetValue(_diskStall), p.GetValue(_virtioVersion),
            p.GetValue(_icount), p.GetValue(_maxTime), p.GetValue(_seed), p.GetValue(_record), p.GetValue(_replay), p.GetValue(_stats), explicitOptions,
            p.GetValue(_gdb), EngineNames.TryParse(p.GetValue(_engine), out var engine) ? engine : EngineKind.Jit,
            EngineNames.ParseCompile(p.GetValue(_jitCompile)));
    }
}

/// <summary>Everything a board command does around the run itself: the schedule to record or replay
/// (and the settings it carries), the board's options with the console and disk, the timing, and the
/// end: the run's message, the schedule file, and one `bulwark: error:` line for bad input.</summary>
public sealed class BoardSession
{
    private readonly ScheduleRecording? _recording;

    private BoardSession(BoardSettings settings, ISchedulingStrategy strategy, ScheduleRecording? recording)
    {
        Settings = settings;
        Strategy = strategy;
        _recording = recording;
    }

    public BoardSettings Settings { get; }
    public ISchedulingStrategy Strategy { get; }
    public Stream Console { get; } = new BufferedStream(System.Console.OpenStandardOutput(), 1 << 12);

    public BoardTiming Timing => new()
    {
        IcountShift = Settings.IcountShift,
        MaxTimeNs = Settings.MaxTime is { } seconds ? (ulong)Math.Round(seconds * 1e9) : null,
    };

    /// <summary>The board with the console on stdout, stdin on the UART and the disk, if any.</summary>
    public QemuVirtOptions Board(TextWriter? deviceTrace = null) => new()
    {
        Harts = Settings.Harts,
        MemoryBytes = Settings.MemoryBytes,
        Seed = Settings.Seed,
        DeviceTrace = deviceTrace,
        ConsoleOutput = Console,
        ConsoleInput = System.Console.OpenStandardInput(),
        Disk = Settings.Disk == null ? null : LoadDisk(Settings.Disk, Settings.DiskReadOnly),
        VirtioVersion = Settings.VirtioVersion,
        DiskLatency = Settings.DiskStall ? BlockLatency.Stalled : null,
        Engine = Settings.Engine,
        JitCompile = Settings.JitCompile,
    };

    /// <summary>Runs <paramref name="run"/> with a session for <paramref name="settings"/>; bad input gives
    /// one error line and status 2.</summary>
    public static int Execute(string command, BoardSettings settings, Func<BoardSession, int> run)
    {
        BoardSession? session = null;
        try
        {
            session = Open(settings);
            int status = run(session);
            session.Close(command);
            return status;
        }
        catch (Bulwark.Lab.Debugging.DebuggerKilledException)
        {
            session?.Console.Flush();
            System.Console.Error.WriteLine("bulwark: killed by gdb");
            return 137;
        }
        catch (Exception e) when (e is ElfException or ScheduleException or BoardInputException or GdbSessionException or OutputFileException)
        {
            session?.Console.Flush();
            System.Console.Error.WriteLine($"bulwark: error: {e.Message}");
            return RunCommand.InputError;
        }
    }

    private GdbSession? _debugger;

    /// <summary>With --gdb, waits for the debugger and puts its stub in front of the board's engine.</summary>
    public void AttachDebugger(Bulwark.Machine.Machine machine)
    {
        if (Settings.GdbPort is { } port) _debugger = GdbSession.Attach(machine, port);
    }

    /// <summary>Prints how the run ended, after flushing the console.</summary>
    public void Report(BoardResult result)
    {
        _debugger?.Exited(result.ExitStatus);
        _debugger?.Dispose();
        Console.Flush();
        if (result.Message != null) System.Console.Error.WriteLine(result.ExitStatus == 0 ? result.Message : $"bulwark: {result.Message}");
    }

    private static BoardSession Open(BoardSettings s)
    {
        if (s.Record != null) OutputFiles.CheckWritable(s.Record, "--record");
        if (s.Replay != null)
        {
            var replay = ScheduleRecording.Replay(s.Replay);
            var recorded = new RecordedSettingsReader(replay, s.Replay, s.ExplicitOptions);
            recorded.RequireProgram(s.Elfs);
            s = s with
            {
                Seed = recorded.Number("seed", s.Seed),
                Harts = recorded.Number("harts", s.Harts),
                IcountShift = recorded.Number("icount", s.IcountShift),
            };
            return new BoardSession(s, replay, replay);
        }
        ISchedulingStrategy random = new RandomStrategy(s.Seed);
        if (s.Record == null) return new BoardSession(s, random, null);
        var recording = ScheduleRecording.Record(random);
        return new BoardSession(s, recording, recording);
    }

    private void Close(string command)
    {
        Console.Flush();
        var s = Settings;
        if (s.Record != null)
            _recording!.Save(s.Record, $"bulwark {command} of {string.Join(' ', s.Elfs.Select(Path.GetFileName))}", new Dictionary<string, string>
            {
                ["program"] = ProgramIdentity.Of(s.Elfs),
                ["seed"] = s.Seed.ToString(),
                ["harts"] = s.Harts.ToString(),
                ["icount"] = s.IcountShift.ToString(),
            });
        if (s.Replay != null && !_recording!.Exhausted)
            System.Console.Error.WriteLine($"bulwark: warning: the run ended before using all decisions of {s.Replay}");
    }

    private static DiskImage LoadDisk(string path, bool readOnly)
    {
        if (Directory.Exists(path)) throw new BoardInputException($"--disk {path}: is a directory");
        if (!File.Exists(path)) throw new BoardInputException($"--disk {path}: no such file");
        try { return DiskImage.FromFile(path, readOnly); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new BoardInputException($"--disk {path}: {e.Message}");
        }
    }
}

/// <summary>Input a board command refuses (a disk it cannot use, a kernel configuration that cannot work).</summary>
public sealed class BoardInputException(string message) : Exception(message);
