using Bulwark.Kernel.Processes;

namespace Bulwark.Kernel.Fs;

/// <summary>/dev/null: reads end at once, writes vanish.</summary>
public sealed class NullDevice : OpenFile
{
    public override Inode? Inode => null;
    public override ValueTask<long> Read(KernelCore kernel, GuestThread thread, byte[] buffer, int count) => ValueTask.FromResult(0L);
    public override ValueTask<long> Write(KernelCore kernel, GuestThread thread, byte[] buffer, int count) => ValueTask.FromResult((long)count);
}

/// <summary>/dev/zero.</summary>
public sealed class ZeroDevice : OpenFile
{
    public override Inode? Inode => null;
    public override ValueTask<long> Read(KernelCore kernel, GuestThread thread, byte[] buffer, int count)
    {
        Array.Clear(buffer, 0, count);
        return ValueTask.FromResult((long)count);
    }
    public override ValueTask<long> Write(KernelCore kernel, GuestThread thread, byte[] buffer, int count) => ValueTask.FromResult((long)count);
}

/// <summary>/dev/urandom and /dev/random: bytes from the run's seed, so runs repeat.</summary>
public sealed class RandomDevice : OpenFile
{
    public override Inode? Inode => null;
    public override ValueTask<long> Read(KernelCore kernel, GuestThread thread, byte[] buffer, int count)
    {
        kernel.Entropy.Fill(buffer.AsSpan(0, count));
        return ValueTask.FromResult((long)count);
    }
    public override ValueTask<long> Write(KernelCore kernel, GuestThread thread, byte[] buffer, int count) => ValueTask.FromResult((long)count);
}
