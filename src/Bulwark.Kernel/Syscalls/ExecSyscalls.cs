using System.Text;
using Bulwark.Kernel.Elf;
using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Memory;
using Bulwark.Machine.Elf;

namespace Bulwark.Kernel.Syscalls;

/// <summary>execve and execveat of static ELF files of the guest's file system and of #! scripts. A
/// dynamically linked program gets ENOEXEC (there is no dynamic loader); --strict adds a note on stderr.</summary>
public static class ExecSyscalls
{
    private const int AtEmptyPath = 0x1000, AtSymlinkNofollow = 0x100, AtFdCwd = -100;
    /// <summary>Linux's limits: MAX_ARG_STRLEN per string, and argv plus envp together (a quarter of an 8 MiB stack).</summary>
    private const int MaxStringLength = 32 * 4096, MaxTotal = 2 * 1024 * 1024, MaxStrings = 0x7FFFFFFF / 8;
    /// <summary>Interpreters of interpreters Linux follows (BINPRM_MAX_RECURSION).</summary>
    private const int MaxInterpreterDepth = 4;
    private const int ShebangLength = 256;

    public static void Register(SyscallTable t)
    {
        t.Add(221, "execve", c => Execve(c, AtFdCwd, c.Arg(0), c.Arg(1), c.Arg(2), 0));
        t.Add(281, "execveat", c => Execve(c, c.IntArg(0), c.Arg(1), c.Arg(2), c.Arg(3), c.IntArg(4)));
    }

    private static async ValueTask<(List<string>? Strings, long Error)> ReadStrings(SyscallContext c, ulong address, long total)
    {
        var strings = new List<string>();
        if (address == 0) return (strings, 0);
        for (ulong at = address; ; at += 8)
        {
            if (await c.User.GetUser<ulong>(at) is not { } pointer) return (null, -Errno.EFAULT);
            if (pointer == 0) return (strings, 0);
            if (strings.Count >= MaxStrings) return (null, -Errno.E2BIG);
            var (s, errno) = await c.User.StrncpyFromUser(pointer, MaxStringLength);
            if (s == null) return (null, errno == Errno.ENAMETOOLONG ? -Errno.E2BIG : -errno);
            total += Encoding.UTF8.GetByteCount(s) + 1 + 8;
            if (total > MaxTotal) return (null, -Errno.E2BIG);
            strings.Add(s);
        }
    }

    private static async ValueTask<long> Execve(SyscallContext c, int dirfd, ulong pathAddress, ulong argvAddress, ulong envpAddress, int flags)
    {
        if ((flags & ~(AtEmptyPath | AtSymlinkNofollow)) != 0) return -Errno.EINVAL;
        var (path, pathError) = await FileSyscalls.PathArg(c, pathAddress);
        if (path == null) return pathError;
        var (argv, argvError) = await ReadStrings(c, argvAddress, 0);
        if (argv == null) return argvError;
        var (envp, envpError) = await ReadStrings(c, envpAddress, argv.Sum(a => Encoding.UTF8.GetByteCount(a) + 9));
        if (envp == null) return envpError;

        Inode? node;
        string shownPath = path;
        if (path.Length == 0)
        {
            if ((flags & AtEmptyPath) == 0) return -Errno.ENOENT;
            if (FileSyscalls.File(c, dirfd) is not { Inode: { } inode }) return -Errno.EBADF;
            node = inode;
            shownPath = $"/dev/fd/{dirfd}";
        }
        else
        {
            var lookup = FileSyscalls.Resolve(c, dirfd, path, followLast: (flags & AtSymlinkNofollow) == 0);
            if (lookup.Error < 0) return lookup.Error;
            node = lookup.Node;
            if (node is SymlinkInode) return -Errno.ELOOP;
            if (dirfd != AtFdCwd && !path.StartsWith('/') && FileSyscalls.File(c, dirfd) is DirectoryFile { Inode: DirectoryInode start })
                shownPath = Vfs.PathOf(start).TrimEnd('/') + "/" + path;
        }

        for (int depth = 0; ; depth++)
        {
            if (node is not RegularInode file || (file.Mode & 0x49 /* any x bit */) == 0) return -Errno.EACCES;
            var bytes = file.Data.AsSpan(0, (int)file.Length);
            if (bytes.Length >= 2 && bytes[0] == '#' && bytes[1] == '!')
            {
                if (depth >= MaxInterpreterDepth) return -Errno.ELOOP;
                if (ParseShebang(bytes) is not var (interpreter, argument)) return -Errno.ENOEXEC;
                // The interpreter gets the script's path as its argument, after its own optional one.
                var replaced = new List<string> { interpreter };
                if (argument != null) replaced.Add(argument);
                replaced.Add(shownPath);
                replaced.AddRange(argv.Skip(1));
                argv = replaced;
                var lookup = FileSyscalls.Resolve(c, AtFdCwd, interpreter);
                if (lookup.Error < 0) return lookup.Error;
                node = lookup.Node;
                shownPath = interpreter;
                continue;
            }
            return Start(c, file, shownPath, argv, envp);
        }
    }

    /// <summary>"#!interpreter [one argument]" on the first line (at most 256 bytes, as Linux reads it).</summary>
    private static (string Interpreter, string? Argument)? ParseShebang(ReadOnlySpan<byte> bytes)
    {
        var line = bytes[2..Math.Min(bytes.Length, ShebangLength)];
        int end = line.IndexOf((byte)'\n');
        if (end >= 0) line = line[..end];
        string text = Encoding.UTF8.GetString(line).Trim(' ', '\t');
        if (text.Length == 0) return null;
        int space = text.IndexOfAny([' ', '\t']);
        if (space < 0) return (text, null);
        string argument = text[space..].Trim(' ', '\t');
        return (text[..space], argument.Length == 0 ? null : argument);
    }

    private static long Start(SyscallContext c, RegularInode file, string path, List<string> argv, List<string> envp)
    {
        var kernel = c.Kernel;
        ElfImage image;
        try
        {
            image = LinuxExecutable.Parse(path, file.Data.AsSpan(0, (int)file.Length).ToArray());
        }
        catch (ElfException e)
        {
            if (kernel.Options.Strict) kernel.TraceLine($"bulwark: note: execve of {e.Message} (ENOEXEC)");
            return -Errno.ENOEXEC;
        }
        AddressSpace space;
        ulong entry, sp;
        try
        {
            // RLIMIT_STACK decides the new stack's size, as on Linux.
            (space, entry, sp) = ProgramLoader.Load(kernel, image, argv, envp, c.Process.Limits[Processes.ResourceLimits.Stack].Cur);
        }
        catch (Bulwark.Machine.Memory.FramesExhaustedException)
        {
            return -Errno.ENOMEM;
        }
        kernel.ReplaceImage(c.Thread, space, entry, sp);
        var resolved = kernel.Files.Resolve(c.Process.WorkingDirectory, path, out _, out var parent, out string leaf, true, c.Process) == 0 && parent != null
            ? Vfs.PathOf(parent).TrimEnd('/') + "/" + leaf : path;
        ProgramLoader.SetProgram(c.Process, resolved, file, argv, envp);
        string name = path[(path.LastIndexOf('/') + 1)..];
        c.Process.Comm = name.Length > 15 ? name[..15] : name;
        return SyscallResult.NoReturnValue;
    }
}
