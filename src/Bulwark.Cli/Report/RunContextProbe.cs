using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Bulwark.Cli.Commands;

namespace Bulwark.Cli.Report;

/// <summary>Names the machine, the build and the invocation a report was measured with, so its figures can
/// be compared with another machine's or another commit's.</summary>
public static class RunContextProbe
{
    public static RunContext Capture(IReadOnlyList<string> args) => new(
        CpuModel(), Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
        Commit(), CommandLine(args),
        DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));

    /// <summary>The invocation as a shell line.</summary>
    public static string CommandLine(IReadOnlyList<string> args) => string.Join(' ', args.Select(Shell.Quote).Prepend("bulwark"));

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line != null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>`git rev-parse HEAD` of the repository the binaries sit in (or the working directory),
    /// with "-dirty" when tracked files differ; "unknown" without git or outside a repository.</summary>
    private static string Commit()
    {
        string directory = Commands.Repository.Find(".git") is { } git ? Path.GetDirectoryName(git)! : Environment.CurrentDirectory;
        string? head = Git(directory, "rev-parse", "HEAD");
        if (head == null) return "unknown";
        return Git(directory, "status", "--porcelain", "--untracked-files=no") is { Length: > 0 } ? head + "-dirty" : head;
    }

    private static string? Git(string directory, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var process = Process.Start(info);
            if (process == null) return null;
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
