using Bulwark.Tests.Cli;

namespace Bulwark.Tests.Guests;

/// <summary>What the exec guest's qemu oracle cannot show: execveat and fexecve (qemu-user 7.2 answers ENOSYS),
/// a dynamically linked program (ENOEXEC, and a note under --strict), and applet names as links to one binary
/// brought in by --mount, as busybox is installed.</summary>
public sealed class ExecTests
{
    private static string Elf => Path.Combine(GuestCase.Directory, "exec.elf");

    private static GuestRun Run(IReadOnlyList<(string, string)> mounts, params string[] args) =>
        GuestCase.RunElf(Elf, [Elf, .. args], [], [(GuestCase.Directory, GuestCase.Directory), .. mounts]);

    [Fact]
    public void ExecveatAndFexecveRunTheProgram()
    {
        var run = Run([], "--at");
        Assert.Equal(0, run.Status);
        Assert.Equal("[fexecve] argc 2:\nstatus 7\n[execveat] argc 2:\nstatus 7\n", run.StdoutText);
    }

    private static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"bulwark-exec-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void ADynamicallyLinkedProgramGetsEnoexec()
    {
        string dir = TempDirectory();
        var bytes = File.ReadAllBytes(Elf);
        int phoff = BitConverter.ToInt32(bytes, 32);
        BitConverter.TryWriteBytes(bytes.AsSpan(phoff), 3u); // the first program header becomes PT_INTERP
        File.WriteAllBytes(Path.Combine(dir, "dynamic"), bytes);
        File.SetUnixFileMode(Path.Combine(dir, "dynamic"), (UnixFileMode)0x1ED);
        var run = Run([(dir, "/opt")], "--run", "/opt/dynamic", "x");
        Assert.Equal(1, run.Status);
        Assert.Equal("execve /opt/dynamic: ENOEXEC\n", run.StdoutText);
        Assert.DoesNotContain("note", run.Stderr);

        var strict = CliProcess.Run("run", "--strict", "--mount", $"{GuestCase.Directory}", "--mount", $"{dir}:/opt", Elf, "--run", "/opt/dynamic", "x");
        Assert.Equal(1, strict.ExitCode);
        Assert.Equal("execve /opt/dynamic: ENOEXEC\n", strict.Stdout);
        Assert.Matches(@"^bulwark: note: execve of /opt/dynamic: dynamically linked \(PT_INTERP in program header 0\); build with -static \(ENOEXEC\)\n$", strict.Stderr);
    }

    /// <summary>Applets are links to one binary: the mount keeps host links as links, and exec follows them.</summary>
    [Fact]
    public void AppletNamesAreLinksToOneBinary()
    {
        string dir = TempDirectory();
        File.Copy(Elf, Path.Combine(dir, "multicall"));
        File.SetUnixFileMode(Path.Combine(dir, "multicall"), (UnixFileMode)0x1ED);
        File.CreateSymbolicLink(Path.Combine(dir, "applet"), "multicall");
        File.CreateSymbolicLink(Path.Combine(dir, "absolute"), "/opt/bin/multicall");
        var run = Run([(dir, "/opt/bin")], "--run", "/opt/bin/applet", "viaapplet", "1");
        Assert.Equal(7, run.Status);
        Assert.Equal("[viaapplet] argc 3: <1>\n", run.StdoutText);
        run = Run([(dir, "/opt/bin")], "--run", "/opt/bin/absolute", "absolute");
        Assert.Equal("[absolute] argc 2:\n", run.StdoutText);
    }
}
