using System.CommandLine;
using System.Diagnostics;
using Bulwark.Machine.Devices;
using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
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
        var traceDevices = new Option<bool>("--trace-devices") { Description = "Print every device event (malformed virtio chains, unimplemented registers...) on stderr" };
        var command = new Command("system", "Run bare-metal RISC-V ELFs on a QEMU-virt-like board (machine mode, PMP, CLINT, PLIC, UART, virtio-mmio)");
        var board = new BoardOptions(elfs, harts);
        board.AddTo(command);
        command.Options.Add(traceDevices);
        OptionRules.Require(harts, h => h is >= 1 and <= 8, "is not between 1 and 8 (the virt board's harts)");
        command.SetAction(p =>
        {
            bool trace = p.GetValue(traceDevices);
            return BoardSession.Execute("system", board.Read(p), session =>
            {
                var virt = new QemuVirtBoard(session.Board(trace ? Console.Error : null));
                virt.Load(session.Settings.Elfs);
                session.AttachDebugger(virt.Machine);
                var watch = Stopwatch.StartNew();
                var result = virt.Run(new ArchitecturalTraps(), session.Strategy, session.Timing);
                session.Report(result);
                if (session.Settings.Stats) PrintStats(virt, watch.Elapsed.TotalSeconds);
                return result.ExitStatus;
            });
        });
        return command;
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
        foreach (var c in EngineCounters.Of(machine.Engine, instructions)) table.AddRow(c.Label, c.Shown);
        table.AddRow("virtual time", $"{machine.Clock.Nanoseconds / 1e6:F3} ms");
        table.AddRow("host time", $"{hostSeconds:F3} s");
        table.AddRow("MIPS", (hostSeconds > 0 ? instructions / hostSeconds / 1e6 : 0).ToString("F1"));
        Consoles.PlainStderr().Write(table);
    }
}
