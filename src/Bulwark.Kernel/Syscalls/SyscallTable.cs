namespace Bulwark.Kernel.Syscalls;

/// <summary>Syscall numbers to handlers. Each family file registers its own calls; numbers are the
/// asm-generic ones riscv64 Linux uses.</summary>
public sealed class SyscallTable
{
    private readonly Dictionary<int, (string Name, SyscallHandler Handler)> _handlers = [];

    public static SyscallTable Linux { get; } = Build();

    private static SyscallTable Build()
    {
        var table = new SyscallTable();
        FileSyscalls.Register(table);
        MemorySyscalls.Register(table);
        ProcessSyscalls.Register(table);
        FutexSyscalls.Register(table);
        TimeSyscalls.Register(table);
        SignalSyscalls.Register(table);
        InfoSyscalls.Register(table);
        SegmentSyscalls.Register(table);
        PollSyscalls.Register(table);
        EpollSyscalls.Register(table);
        EventFileSyscalls.Register(table);
        SignalWaitSyscalls.Register(table);
        ExecSyscalls.Register(table);
        LinkSyscalls.Register(table);
        LockSyscalls.Register(table);
        FileSizeSyscalls.Register(table);
        LimitSyscalls.Register(table);
        ProcessGroupSyscalls.Register(table);
        SocketSyscalls.Register(table);
        MessageSyscalls.Register(table);
        CredentialSyscalls.Register(table);
        SendfileSyscalls.Register(table);
        return table;
    }

    /// <summary>The numbers of the implemented calls.</summary>
    public IEnumerable<int> Numbers => _handlers.Keys;

    public void Add(int number, string name, SyscallHandler handler) => _handlers.Add(number, (name, handler));

    public bool TryGet(int number, out string name, out SyscallHandler handler)
    {
        if (_handlers.TryGetValue(number, out var entry))
        {
            (name, handler) = entry;
            return true;
        }
        name = SyscallNames.Of(number);
        handler = null!;
        return false;
    }
}
