namespace Bulwark.Kernel.Memory;

/// <summary>The pages behind a MAP_SHARED area, so that every address space mapping it (after fork)
/// finds the same frame for a page, whether or not it was touched before the fork. The area holds
/// one reference on each of its frames, released when the last area using it goes.</summary>
public sealed class SharedMemory(FrameMappings mappings, ulong pages)
{
    private readonly uint[] _frames = new uint[pages];
    private int _areas;

    /// <summary>An area (in any address space) now uses this memory.</summary>
    public void Attach() => _areas++;

    /// <summary>An area stopped using this memory; the last one releases the frames.</summary>
    public void Detach()
    {
        if (--_areas > 0) return;
        for (int i = 0; i < _frames.Length; i++)
        {
            if (_frames[i] == 0) continue;
            mappings.Disowned(_frames[i]);
            mappings.Memory.Release(_frames[i]);
            _frames[i] = 0;
        }
    }

    /// <summary>The frame of page <paramref name="index"/> if it was ever touched, else 0; allocates nothing.</summary>
    public uint ExistingFrameAt(ulong index) => _frames[index];

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
