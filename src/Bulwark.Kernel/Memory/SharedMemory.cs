using Bulwark.Machine.Memory;

namespace Bulwark.Kernel.Memory;

/// <summary>The pages behind a MAP_SHARED area, so that every address space mapping it (after fork)
/// finds the same frame for a page, whether or not it was touched before the fork.</summary>
public sealed class SharedMemory(PhysicalMemory memory, ulong pages)
{
    private readonly uint[] _frames = new uint[pages];

    /// <summary>The frame of page <paramref name="index"/>, allocated on first use; 0 when memory is exhausted.</summary>
    public uint FrameAt(ulong index)
    {
        if (_frames[index] == 0) _frames[index] = memory.Allocate();
        return _frames[index];
    }
}
