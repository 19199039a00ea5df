using System.Text;

namespace Bulwark.Kernel.Fs;

/// <summary>The files a program expects of a Linux system: /etc/passwd and /etc/group with root and the
/// one user every guest process runs as, /etc/hosts, /etc/hostname, and the user's home directory.
/// A --mount of /etc replaces them.</summary>
public static class EtcFiles
{
    public const string UserName = "user";
    public const string Home = "/home/user";
    public const string Shell = "/bin/sh";
    public const string Hostname = "bulwark";

    public static string Passwd =>
        $"root:x:0:0:root:/root:{Shell}\n" +
        $"{UserName}:x:{Syscalls.InfoSyscalls.Uid}:{Syscalls.InfoSyscalls.Gid}:{UserName}:{Home}:{Shell}\n";

    public static string Group => $"root:x:0:\n{UserName}:x:{Syscalls.InfoSyscalls.Gid}:\n";

    public static string Hosts => $"127.0.0.1\tlocalhost\n127.0.1.1\t{Hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n";

    public static void Install(Vfs vfs)
    {
        var etc = vfs.MakeDirectories("/etc");
        etc.Link("passwd", vfs.NewFile(Encoding.ASCII.GetBytes(Passwd), readOnly: true));
        etc.Link("group", vfs.NewFile(Encoding.ASCII.GetBytes(Group), readOnly: true));
        etc.Link("hosts", vfs.NewFile(Encoding.ASCII.GetBytes(Hosts), readOnly: true));
        etc.Link("hostname", vfs.NewFile(Encoding.ASCII.GetBytes(Hostname + "\n"), readOnly: true));
        vfs.MakeDirectories("/root");
        vfs.MakeDirectories(Home);
    }

    /// <summary>The environment a login shell gives the user (what `bulwark run` starts from unless
    /// --clear-env; --env adds to it or overrides).</summary>
    public static IReadOnlyList<string> LoginEnvironment =>
    [
        $"HOME={Home}",
        "PATH=/usr/local/bin:/usr/bin:/bin",
        $"USER={UserName}",
        $"LOGNAME={UserName}",
        "TERM=dumb",
    ];
}
