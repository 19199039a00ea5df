using System.CommandLine;
using System.Diagnostics;
using Bulwark.Machine.Elf;
using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.Machine.Scheduling;
using Bulwark.S3k;
using Bulwark.S3k.Dma;
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
        var traceCaps = new Option<bool>("--trace-caps") { Description = "Print every capability operation (derive, move, delete, revoke, IPC transfer) with its table slots on stderr" };
        var traceSyscalls = new Option<bool>("--trace-syscalls") { Description = "Print every system call and its result on stderr" };
        var procs = new Option<int>("--procs") { HelpName = "N", Description = "Processes (S3K_PROC_CNT)", DefaultValueFactory = _ => 2 };
        var caps = new Option<int>("--caps") { HelpName = "N", Description = "Capability slots per process (S3K_CAP_CNT)", DefaultValueFactory = _ => 32 };
        var channels = new Option<int>("--channels") { HelpName = "N", Description = "IPC channels (S3K_CHAN_CNT)", DefaultValueFactory = _ => 2 };
        var slots = new Option<int>("--slots") { HelpName = "N", Description = "Time slots per period (S3K_SLOT_CNT)", DefaultValueFactory = _ => 32 };
        var slotTicks = new Option<ulong?>("--slot-ticks") { HelpName = "N", Description = "mtime ticks per slot (S3K_SLOT_LEN) [default: 1000000 / slots]" };
        var fixLivelock = new Option<bool>("--fix-ipc-livelock") { Description = "Not s3k: a server suspended while it waits in recv waits again when resumed (s3k leaves it runnable and still registered, and a server that lives on its clients' time is never reached again)" };
        var verbosity = new Option<int>("--verbosity") { HelpName = "N", Description = "The kernel's VERBOSITY: 1 adds schedule updates, 2 every dispatch", DefaultValueFactory = _ => 0 };
        var revokePolicy = new Option<string?>("--revoke-policy") { HelpName = "POLICY", Description = "Not s3k: what a revoke, delete or move does to memory a device may still touch: none (s3k's behaviour), kill, scrub, deny, quarantine or reset; DMA is logged with its owners and the figures printed on stderr at the end" };
        var dmaLog = new Option<string?>("--dma-log") { HelpName = "FILE", Description = "With --revoke-policy: write the owner-tagged DMA log, the ownership timeline and every request to FILE" };
        var command = new Command("s3k", "Run the s3k course's programs on the QEMU-virt-like board with Bulwark's C# s3k kernel");
        var board = new BoardOptions(elfs, harts);
        board.AddTo(command);
        foreach (var option in new Option[] { traceCaps, traceSyscalls, procs, caps, channels, slots, slotTicks, verbosity, fixLivelock, revokePolicy, dmaLog }) command.Options.Add(option);
        OptionRules.Require(harts, h => h is 1 or 4, "is not 1 (qemu_virt) or 4 (qemu_virt4)");
        OptionRules.Require(procs, n => n is >= 1 and <= 256, "is not between 1 and 256");
        OptionRules.Require(caps, n => n is >= 10 and <= 65535, "is not between 10 (the boot capabilities) and 65535");
        OptionRules.Require(channels, n => n is >= 1 and <= 65535, "is not between 1 and 65535");
        OptionRules.Require(slots, n => n is >= 1 and <= 255, "is not between 1 and 255");
        OptionRules.Require(slotTicks, n => n is >= 10, "is not at least 10 ticks");
        OptionRules.Require(verbosity, n => n is >= 0 and <= 2, "is not 0, 1 or 2");
        command.Validators.Add(r =>
        {
            if (r.GetValue(dmaLog) != null && r.GetValue(revokePolicy) == null) r.AddError("--dma-log needs --revoke-policy");
        });
        OptionRules.Require(revokePolicy, n => n == null || RevokePolicies.TryParse(n, out _), $"is not one of: {string.Join(", ", RevokePolicies.Names)}");
        command.SetAction(p =>
        {
            int slotCount = p.GetValue(slots);
            string? policyName = p.GetValue(revokePolicy);
            var policy = RevokePolicies.TryParse(policyName ?? "none", out var named) ? named : RevokePolicy.None;
            var config = new S3kConfig
            {
                ProcCount = p.GetValue(procs),
                CapCount = p.GetValue(caps),
                ChanCount = p.GetValue(channels),
                SlotCount = slotCount,
                SlotTicks = p.GetValue(slotTicks) ?? S3kConfig.RtcHz / (ulong)slotCount,
                Verbosity = p.GetValue(verbosity),
                FixIpcLivelock = p.GetValue(fixLivelock),
                RevokePolicy = policy,
                TrackDma = policyName != null,
            };
            bool traceCapOps = p.GetValue(traceCaps), traceCalls = p.GetValue(traceSyscalls);
            return BoardSession.Execute("s3k", board.Read(p), session =>
            {
                // The platform follows the harts, which a replayed schedule may set.
                if (session.Settings.Harts is not (1 or 4)) throw new BoardInputException($"s3k runs on 1 (qemu_virt) or 4 (qemu_virt4) harts, not {session.Settings.Harts}");
                var platformConfig = config with { Platform = S3kPlatform.ForHarts(session.Settings.Harts) };
                if (platformConfig.Problem() is { } problem) throw new BoardInputException(problem);
                var system = new S3kSystem(platformConfig, session.Board());
                system.Load(session.Settings.Elfs);
                session.AttachDebugger(system.Board.Machine);
                if (traceCapOps) system.Kernel.Trace.Caps = Console.Error;
                if (traceCalls) system.Kernel.Trace.Syscalls = Console.Error;
                var watch = Stopwatch.StartNew();
                var result = system.Run(session.Strategy, session.Timing);
                session.Console.Flush();
                foreach (var fault in system.Kernel.Faults) Console.Error.WriteLine($"bulwark: s3k: {fault}");
                session.Report(result);
                if (system.Kernel.DmaReport() is { } dma)
                    foreach (var line in dma.Lines(policy)) Console.Error.WriteLine(line);
                if (p.GetValue(dmaLog) is { } logFile && system.Kernel.Dma is { } supervisor)
                {
                    using var w = new StreamWriter(logFile);
                    supervisor.Log.WriteTo(w, supervisor.Tracker.All);
                }
                if (session.Settings.Stats) PrintStats(system, watch.Elapsed.TotalSeconds);
                return result.ExitStatus;
            });
        });
        return command;
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
        if (system.Kernel.LivelockFix is { } fix) table.AddRow("waits restored on resume (--fix-ipc-livelock)", fix.Restored.ToString("N0"));
        table.AddRow("exceptions to user handlers", trace.Exceptions.ToString("N0"));
        table.AddRow("timer interrupts", (system.Board.Scheduler?.Interrupts ?? 0).ToString("N0"));
        table.AddRow("PMP faults", system.Board.PmpFaults.ToString("N0"));
        foreach (var c in EngineCounters.Of(machine.Engine, instructions)) table.AddRow(c.Label, c.Shown);
        table.AddRow("virtual time", $"{machine.Clock.Nanoseconds / 1e6:F3} ms");
        table.AddRow("host time", $"{hostSeconds:F3} s");
        Consoles.PlainStderr().Write(table);
    }
}
