using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Fs;

/// <summary>The host's standard input, read as the guest asks for it.</summary>
public sealed class HostInput(Stream stream) : OpenFile
{
    public override Inode? Inode => null;

    public override ValueTask<long> Read(KernelCore kernel, GuestThread thread, byte[] buffer, int count)
    {
        kernel.FlushOutputs();
        return ValueTask.FromResult((long)stream.Read(buffer, 0, count));
    }
}

/// <summary>The host's standard output or error. Stdout is buffered; stderr, written at once, first flushes
/// <paramref name="flushFirst"/> (stdout), so a guest's two streams keep their order in one terminal or file.</summary>
public sealed class HostOutput(Stream stream, HostOutput? flushFirst = null) : OpenFile
{
    public override Inode? Inode => null;

    public override ValueTask<long> Write(KernelCore kernel, GuestThread thread, byte[] buffer, int count)
    {
        kernel.Tracer?.BeforeGuestOutput(thread);
        flushFirst?.Flush();
        stream.Write(buffer, 0, count);
        return ValueTask.FromResult((long)count);
    }

    public void Flush() => stream.Flush();
}
