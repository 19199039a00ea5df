using System.Diagnostics;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Corpora;

/// <summary>The third-party corpora (the RISC-V ISA suite, the s3k kernel and its course projects) and
/// Bulwark's s3k test programs built against them,
/// built once per test run by tests/corpora/build.sh into .corpus/ (CI runs the script before the tests; a
/// local run builds them on first use). A missing corpus is a failure, never a skip.</summary>
public static class Corpus
{
    private static readonly Lazy<string> Root = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string IsaDirectory => Path.Combine(Root.Value, "isa");
    public static string S3kDirectory => Path.Combine(Root.Value, "s3k");

    /// <summary>Bulwark's own s3k test programs (tests/s3k-programs) and the real kernel built with their
    /// configuration: kernel.elf and NAME.appN.elf.</summary>
    public static string S3kProgramsDirectory => Path.Combine(Root.Value, "s3k-programs");

    /// <summary>The ISA tests Bulwark must pass, one name per line (tests/corpora/isa-tests.txt).</summary>
    public static IEnumerable<string> IsaTestNames() =>
        File.ReadAllLines(GuestCase.RepositoryPath("tests", "corpora") + "/isa-tests.txt").Where(l => l.Length > 0);

    private static string Build()
    {
        string script = Path.Combine(GuestCase.RepositoryPath("tests", "corpora"), "build.sh");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("tests/corpora/build.sh took more than 15 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tests/corpora/build.sh failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        return Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(script))!, "..", ".corpus");
    }
}
