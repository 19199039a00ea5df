using Bulwark.Tests.Cli;

namespace Bulwark.Tests.Guests;

/// <summary>/etc, the login environment and /proc's system files, which qemu cannot judge (it shows the host's):
/// etc_env prints what a program finds, through the real command line.</summary>
public sealed class EtcEnvTests
{
    private static string Elf => Path.Combine(GuestCase.Directory, "etc_env.elf");

    [Fact]
    public void UserHostAndSystemFilesAreThere()
    {
        var r = CliProcess.Run("run", "--harts", "3", "--memory", "64M", Elf);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("passwd: user uid 1000 gid 1000 home /home/user shell /bin/sh\n", r.Stdout);
        Assert.Contains("root: /root\n", r.Stdout);
        Assert.Contains("group: user\n", r.Stdout);
        Assert.Contains("localhost: 127.0.0.1\n", r.Stdout);
        Assert.Contains("nodename: bulwark\n", r.Stdout);
        Assert.Contains("cpuinfo: 3 harts, first: processor\t: 0\n", r.Stdout);
        Assert.Contains("nprocs: 3\n", r.Stdout);
        Assert.Contains("meminfo: MemTotal:          65536 kB\n", r.Stdout);
        Assert.Contains("exe opens an ELF: yes\n", r.Stdout);
    }

    [Fact]
    public void TheEnvironmentIsALoginShells()
    {
        var r = CliProcess.Run("run", Elf);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["HOME=/home/user", "PATH=/usr/local/bin:/usr/bin:/bin", "USER=user", "LOGNAME=user", "TERM=dumb"], EnvLines(r.Stdout));
    }

    [Fact]
    public void EnvReplacesInPlaceAndAddsAtTheEnd()
    {
        var r = CliProcess.Run("run", "--env", "TERM=xterm", "--env", "LANG=C", "--env", "HOME=/tmp", Elf);
        Assert.Equal(["HOME=/tmp", "PATH=/usr/local/bin:/usr/bin:/bin", "USER=user", "LOGNAME=user", "TERM=xterm", "LANG=C"], EnvLines(r.Stdout));
    }

    [Fact]
    public void ClearEnvStartsEmpty()
    {
        Assert.Empty(EnvLines(CliProcess.Run("run", "--clear-env", Elf).Stdout));
        Assert.Equal(["A=b"], EnvLines(CliProcess.Run("run", "--clear-env", "--env", "A=b", Elf).Stdout));
    }

    /// <summary>In-process runs (the differential tests) pass exactly the environment given: empty, as under env -i.</summary>
    [Fact]
    public void TheKernelAddsNothingToTheEnvironment() =>
        Assert.Empty(EnvLines(GuestCase.RunElf(Elf, [Elf], [], []).StdoutText));

    private static string[] EnvLines(string stdout) =>
        stdout.Split('\n').Where(l => l.StartsWith("env: ", StringComparison.Ordinal)).Select(l => l[5..]).ToArray();
}
