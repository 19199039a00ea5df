using Bulwark.Kernel;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Memory;
using Bulwark.Machine.Translation;

namespace Bulwark.Lab.Debugging;

/// <summary>The Linux kernel's guest threads as a debugger sees them. Memory is read through each
/// thread's page table without faulting anything in: a page not yet present reads as unavailable.</summary>
public sealed class LinuxDebugTarget(KernelCore kernel) : IDebugTarget
{
    public IReadOnlyList<int> Threads => kernel.LiveThreads.Select(t => t.Tid).ToList();

    public int ThreadOn(Hart hart) => kernel.ThreadOn(hart.Id)?.Tid ?? -1;

    public HartState? Registers(int thread) => kernel.FindThread(thread)?.Registers;

    public bool Read(int thread, ulong address, Span<byte> into)
    {
        if (Chunks(thread, address, into.Length) is not { } chunks) return false;
        foreach (var (pfn, offset, done, n) in chunks) kernel.Machine.Memory.Frame(pfn).AsSpan(offset, n).CopyTo(into[done..]);
        return true;
    }

    public bool Write(int thread, ulong address, ReadOnlySpan<byte> from)
    {
        if (Chunks(thread, address, from.Length) is not { } chunks) return false;
        var memory = kernel.Machine.Memory;
        foreach (var (pfn, offset, done, n) in chunks)
        {
            memory.BeforeWrite(pfn, offset, n);
            from.Slice(done, n).CopyTo(memory.Frame(pfn).AsSpan(offset, n));
        }
        return true;
    }

    /// <summary>The frames of [address, address+length) in the thread's address space, or null if any page
    /// is not present (so a partly unmapped range is refused whole).</summary>
    private List<(uint Pfn, int Offset, int Done, int Length)>? Chunks(int thread, ulong address, int length)
    {
        if (kernel.FindThread(thread) is not { } t) return null;
        var table = t.Process.AddressSpace.PageTable;
        var chunks = new List<(uint, int, int, int)>();
        for (int done = 0; done < length;)
        {
            ulong at = address + (ulong)done;
            ulong pte = table.GetLeaf(at);
            if ((pte & (ulong)PteFlags.V) == 0) return null;
            int offset = (int)(at & (PhysicalMemory.PageSize - 1));
            int n = Math.Min(length - done, PhysicalMemory.PageSize - offset);
            chunks.Add((Sv39PageTable.PfnOf(pte), offset, done, n));
            done += n;
        }
        return chunks;
    }
}
