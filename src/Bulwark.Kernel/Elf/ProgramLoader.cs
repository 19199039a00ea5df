using System.Text;
using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Signals;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Elf;

namespace Bulwark.Kernel.Elf;

/// <summary>Creates the first process from a static ELF: maps its segments, builds the initial
/// stack (argc, argv, envp, auxv) the way Linux does, and opens stdin/stdout/stderr.</summary>
public static class ProgramLoader
{
    /// <summary>Where a static-pie executable is placed.</summary>
    public const ulong PieBase = 0x2_aaaa_a000UL;

    private const ulong AtNull = 0, AtPhdr = 3, AtPhent = 4, AtPhnum = 5, AtPagesz = 6, AtBase = 7, AtFlags = 8, AtEntry = 9,
        AtUid = 11, AtEuid = 12, AtGid = 13, AtEgid = 14, AtHwcap = 16, AtClktck = 17, AtSecure = 23, AtRandom = 25, AtExecfn = 31;

    /// <summary>HWCAP has one bit per single-letter extension ('A' is bit 0): RV64IMAFDC.</summary>
    private static readonly ulong Hwcap = "IMAFDC".Aggregate(0UL, (mask, ext) => mask | 1UL << (ext - 'A'));

    /// <summary>Creates the first process from <paramref name="image"/> (see <see cref="LinuxExecutable"/>), which is
    /// only read: one image may start many runs (the explorer's schedules), and /proc/self/exe shows its bytes read-only.</summary>
    public static Process CreateInitProcess(KernelCore kernel, ElfImage image, IReadOnlyList<string> argv, IReadOnlyList<string> envp)
    {
        string path = image.Path;
        var (space, entry, sp) = Load(kernel, image, argv, envp);

        var files = new FileTable();
        kernel.Stdin.AddReference();
        kernel.Stdout.AddReference();
        kernel.Stderr.AddReference();
        files.Set(0, kernel.Stdin, false);
        files.Set(1, kernel.Stdout, false);
        files.Set(2, kernel.Stderr, false);

        int pid = kernel.AllocateId();
        var process = new Process(pid, null, space, files) { Limits = new ResourceLimits((ulong)kernel.MaxTasks / 2) };
        files.LockOwner = process;
        string fullPath = Path.GetFullPath(path);
        // /proc/self/exe leads to the program: its node in the guest's tree if a --mount put it there, else a node of its own.
        var inTree = kernel.Files.Resolve("/", fullPath, out var node, out _, out _) == 0 ? node as RegularInode : null;
        SetProgram(process, fullPath, inTree ?? new RegularInode(Fs.Proc.ProcFs.InodeBase - 1, image.Bytes) { ReadOnly = true, Permissions = 0x1ED }, argv, envp);
        var registers = new HartState { Pc = entry };
        registers.X[2] = sp;
        kernel.AddThread(new GuestThread(pid, process, registers));
        return process;
    }

    /// <summary>What /proc shows of the program a process runs.</summary>
    public static void SetProgram(Process process, string exePath, Inode? executable, IReadOnlyList<string> argv, IReadOnlyList<string> envp)
    {
        process.ExePath = exePath;
        process.Executable = executable;
        process.Arguments = argv.ToArray();
        process.EnvironmentStrings = envp.ToArray();
        string name = exePath[(exePath.LastIndexOf('/') + 1)..];
        process.Comm = name.Length > 15 ? name[..15] : name;
    }

    /// <summary>A new address space holding <paramref name="image"/>, the signal trampoline and a stack
    /// with argc, argv, envp and auxv: returns it with the entry point and the initial stack pointer.</summary>
    public static (AddressSpace Space, ulong Entry, ulong Sp) Load(KernelCore kernel, ElfImage image, IReadOnlyList<string> argv, IReadOnlyList<string> envp,
        ulong stackBytes = AddressSpace.StackLimit)
    {
        var space = new AddressSpace(kernel.Machine, kernel.FrameMappings);
        try
        {
            ulong bias = image.IsPositionIndependent ? PieBase : 0;
            MapSegments(image, space, bias);
            SignalFrame.MapTrampoline(space);
            stackBytes = Math.Clamp(AddressSpace.PageUp(stackBytes), 128 * 1024, Processes.ResourceLimits.MaxStack);
            space.MapFixed(AddressSpace.StackTop - stackBytes, AddressSpace.StackTop, Protection.Read | Protection.Write, false, "[stack]");

            var random = new byte[16];
            kernel.Entropy.Fill(random);
            var auxv = new List<(ulong, ulong)>
            {
                (AtPhdr, image.PhdrAddress(bias)), (AtPhent, image.PhEntSize), (AtPhnum, (ulong)image.Headers.Count),
                (AtPagesz, AddressSpace.PageSize), (AtBase, 0), (AtFlags, 0), (AtEntry, image.Entry + bias),
                (AtUid, Syscalls.InfoSyscalls.Uid), (AtEuid, Syscalls.InfoSyscalls.Uid), (AtGid, Syscalls.InfoSyscalls.Gid),
                (AtEgid, Syscalls.InfoSyscalls.Gid), (AtHwcap, Hwcap), (AtClktck, 100), (AtSecure, 0),
            };
            ulong sp = BuildStack(space, argv, envp, random, auxv);
            return (space, image.Entry + bias, sp);
        }
        catch
        {
            space.Destroy();
            throw;
        }
    }

    private static void MapSegments(ElfImage image, AddressSpace space, ulong bias)
    {
        // Segments may share a page at their boundary; such a page gets the union of their permissions.
        var pages = new SortedDictionary<ulong, Protection>();
        ulong top = 0;
        foreach (var seg in image.LoadSegments)
        {
            var protection = ((seg.Flags & 4) != 0 ? Protection.Read : 0) | ((seg.Flags & 2) != 0 ? Protection.Write : 0) | ((seg.Flags & 1) != 0 ? Protection.Exec : 0);
            ulong start = AddressSpace.PageDown(seg.VAddr + bias), end = AddressSpace.PageUp(seg.VAddr + bias + seg.MemSize);
            for (ulong va = start; va < end; va += AddressSpace.PageSize)
                pages[va] = pages.GetValueOrDefault(va) | protection;
            top = Math.Max(top, end);
        }
        ulong runStart = 0, previous = 0;
        var runProtection = Protection.None;
        foreach (var (va, protection) in pages.Append(new KeyValuePair<ulong, Protection>(ulong.MaxValue, Protection.None)))
        {
            if (runStart != 0 && (va != previous + AddressSpace.PageSize || protection != runProtection))
            {
                space.MapFixed(runStart, previous + AddressSpace.PageSize, runProtection | Protection.Read, false, "[program]");
                runStart = 0;
            }
            if (runStart == 0 && va != ulong.MaxValue)
            {
                runStart = va;
                runProtection = protection;
            }
            previous = va;
        }
        foreach (var seg in image.LoadSegments)
            if (seg.FileSize > 0) space.Populate(seg.VAddr + bias, image.Bytes.AsSpan((int)seg.Offset, (int)seg.FileSize));
        space.BrkStart = space.Brk = top;
    }

    private static ulong BuildStack(AddressSpace space, IReadOnlyList<string> argv, IReadOnlyList<string> envp, byte[] random, List<(ulong Key, ulong Value)> auxv)
    {
        ulong sp = AddressSpace.StackTop;
        ulong PushBytes(byte[] bytes)
        {
            sp -= (ulong)bytes.Length;
            if (!space.WriteBytes(sp, bytes)) throw new GuestOutOfMemoryException();
            return sp;
        }
        ulong PushString(string s) => PushBytes(Encoding.UTF8.GetBytes(s + "\0"));

        ulong execfn = PushString(argv.Count > 0 ? argv[0] : "");
        var envPointers = envp.Select(PushString).ToList();
        var argPointers = argv.Select(PushString).ToList();
        sp &= ~15UL;
        ulong randomAddress = PushBytes(random);
        auxv.Add((AtRandom, randomAddress));
        auxv.Add((AtExecfn, execfn));
        auxv.Add((AtNull, 0));

        var words = new List<ulong> { (ulong)argv.Count };
        words.AddRange(argPointers);
        words.Add(0);
        words.AddRange(envPointers);
        words.Add(0);
        foreach (var (key, value) in auxv)
        {
            words.Add(key);
            words.Add(value);
        }
        sp = (sp - (ulong)words.Count * 8) & ~15UL;
        var block = new byte[words.Count * 8];
        for (int i = 0; i < words.Count; i++) BitConverter.TryWriteBytes(block.AsSpan(i * 8), words[i]);
        if (!space.WriteBytes(sp, block)) throw new GuestOutOfMemoryException();
        return sp;
    }
}
