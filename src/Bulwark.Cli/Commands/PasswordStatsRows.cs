using Bulwark.Kernel;
using Bulwark.Kernel.Protections.Passwords;
using Spectre.Console;

namespace Bulwark.Cli.Commands;

/// <summary>The --stats rows of the shared part's protection: far accesses, failed checks, refreshes
/// after rotation, and per user the faults counted, the blame and the delays imposed.</summary>
public static class PasswordStatsRows
{
    public static void Add(Table table, KernelCore kernel)
    {
        var shared = kernel.Shared;
        if (shared.Mode == SharedProtectionMode.None && shared.Stats.SegmentsCreated == 0) return;
        var s = shared.Stats;
        table.AddRow("pwd: memory protection", SharedProtectionModes.Name(shared.Mode));
        table.AddRow("pwd: segments created", s.SegmentsCreated.ToString("N0"));
        table.AddRow("pwd: far accesses", (shared.Far?.FarAccesses ?? 0).ToString("N0"));
        table.AddRow("pwd: checks failed", ((shared.Far?.ChecksFailed ?? 0) + s.LibraryChecksFailed).ToString("N0"));
        table.AddRow("pwd: SIGSEGVs for failed checks", s.CheckSignals.ToString("N0"));
        table.AddRow("pwd: faults in the shared part", s.SharedFaults.ToString("N0"));
        table.AddRow("pwd: refreshes after rotation", s.Refreshes.ToString("N0"));
        table.AddRow("pwd: rotations", s.Rotations.ToString("N0"));
        foreach (var user in shared.Throttle.Users)
        {
            table.AddRow($"pwd: uid {user.Uid} faults (blamed)", $"{user.Faults:N0} ({user.Blamed:N0})");
            table.AddRow($"pwd: uid {user.Uid} delays imposed", $"{user.Delays:N0}, {user.DelayNs / 1e6:F3} ms");
        }
    }
}
