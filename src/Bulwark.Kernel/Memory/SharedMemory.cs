namespace Bulwark.Kernel.Memory;

/// <summary>The pages behind a MAP_SHARED area, so that every address space mapping it (after fork)
/// finds the same frame for a page, whether or not it was touched before the fork. The area holds
/// one reference on each of its frames.</summary>
public sealed class SharedMemory(FrameMappings mappings, ulong pages)
{
    private readonly uint[] _frames = new uint[pages];

    /// <summary>The frame of page <paramref name="index"/>, allocated on first use; 0 when memory is exhausted.</summary>
    public uint FrameAt(ulong index)
    {
        if (_frames[index] == 0)
        {
            uint pfn = mappings.Memory.Allocate();
            if (pfn == 0) return 0;
            _frames[index] = pfn;
            mappings.Owned(pfn, this, index);
        }
        return _frames[index];
    }

    internal void ReplaceFrame(ulong index, uint pfn) => _frames[index] = pfn;
}
