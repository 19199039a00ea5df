using System.Diagnostics;

namespace Bulwark.Tests.Cli;

/// <summary>Runs the real `bulwark` command line (the built bulwark.dll) as a child process.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunWithInput("", args);

    /// <summary>Runs bulwark with <paramref name="input"/> on its stdin.</summary>
    public static Result RunWithInput(string input, params string[] args) => RunFor(TimeSpan.FromSeconds(120), input, args);

    /// <summary>Runs bulwark for at most <paramref name="timeout"/> (a whole eval takes minutes on a busy machine).</summary>
    public static Result RunFor(TimeSpan timeout, string input, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "bulwark.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bulwark did not finish in {timeout.TotalSeconds} s: " + string.Join(' ', args));
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
