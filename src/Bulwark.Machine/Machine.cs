using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Privileged;
using Bulwark.Machine.Devices;
using Bulwark.Machine.Memory;

namespace Bulwark.Machine;

/// <summary>The hardware every platform shares: harts, the physical bus with its RAM, the decoded-code
/// cache and the clock. It knows nothing of any kernel or board; a platform plugs in each hart's address
/// translator, maps devices on the bus, and decides where traps go (see Platforms/).</summary>
public sealed class Machine : IWriteWatcher
{
    private readonly FrameTable<DecodedPage?> _codeCache;

    /// <summary>A machine whose RAM is a frame pool of <paramref name="memoryBytes"/> handed out by a kernel.</summary>
    public Machine(int harts, ulong memoryBytes) : this(harts, new PhysicalMemory(memoryBytes)) { }

    public Machine(int harts, PhysicalMemory ram)
    {
        if (harts < 1) throw new ArgumentOutOfRangeException(nameof(harts), "at least one hart is needed");
        Memory = ram;
        Memory.Watcher = this;
        Bus = new PhysicalBus(ram);
        DeviceTrace = new DeviceTrace(Clock);
        _codeCache = new FrameTable<DecodedPage?>(Memory.FrameCount);
        Reservations = new ReservationTable(this);
        Harts = Enumerable.Range(0, harts).Select(i => new Hart(this, i)).ToArray();
    }

    /// <summary>A machine for a kernel that runs programs in U mode, as Linux sets its harts up: floating
    /// point on, and the cycle, time and instret counters readable from U mode.</summary>
    public static Machine ForUserPrograms(int harts, ulong memoryBytes)
    {
        var machine = new Machine(harts, memoryBytes);
        foreach (var hart in machine.Harts)
        {
            hart.Csr.Mstatus |= MstatusBits.FsDirty;
            hart.Csr.Mcounteren = 0b111;
        }
        return machine;
    }

    public PhysicalMemory Memory { get; }
    public PhysicalBus Bus { get; }
    public DeviceTrace DeviceTrace { get; }
    public IReadOnlyList<Hart> Harts { get; }
    public VirtualClock Clock { get; } = new();
    public IExecutionEngine Engine { get; set; } = new Interpreter();
    public IMemoryFaultHandler? FaultHandler { get; set; }
    public ICustomInstructionUnit? CustomUnit { get; set; }
    internal ReservationTable Reservations { get; }

    /// <summary>Invalidates every hart's TLB; the kernel calls this after removing or narrowing a mapping.</summary>
    public void ShootDownTlbs()
    {
        foreach (var hart in Harts) hart.FlushTlb();
    }

    /// <summary>Removes a frame from every hart's write and execute TLB entries (after write-protecting it).</summary>
    public void ShootDownFrame(uint pfn)
    {
        foreach (var hart in Harts) hart.FlushFrame(pfn);
    }

    internal DecodedPage DecodedPageFor(uint pfn)
    {
        ref var slot = ref _codeCache.At(pfn - Memory.BasePfn);
        if (slot != null) return slot;
        var page = new DecodedPage(pfn);
        slot = page;
        Memory.Watch(pfn, WatchReason.DecodedCode);
        ShootDownFrame(pfn);
        return page;
    }

    /// <summary>Removes every write translation to <paramref name="pfn"/> from every hart's TLB.</summary>
    internal void RevokeAllWriteTranslations(uint pfn)
    {
        foreach (var hart in Harts) hart.FlushWrites(pfn);
    }

    /// <summary>Removes the write translation of <paramref name="va"/> to <paramref name="pfn"/> from every
    /// hart's TLB, after that mapping lost write permission.</summary>
    public void RevokeWriteTranslation(ulong va, uint pfn)
    {
        foreach (var hart in Harts) hart.FlushWrite(va, pfn);
    }

    /// <summary>Drops all decoded code (fence.i).</summary>
    internal void InvalidateAllCode()
    {
        for (uint i = 0; i < _codeCache.Length; i++)
            if (_codeCache[i] is { } page) InvalidateCode(page.Pfn);
    }

    private void InvalidateCode(uint pfn)
    {
        ref var slot = ref _codeCache.At(pfn - Memory.BasePfn);
        if (slot == null) return;
        slot = null;
        Memory.Unwatch(pfn, WatchReason.DecodedCode);
        ShootDownFrame(pfn);
        // A hart may be executing from this page right now (self-modifying code): make it look again.
        foreach (var hart in Harts) hart.Attention |= Hart.AttentionCodeChanged;
    }

    void IWriteWatcher.BeforeWatchedWrite(uint pfn, int offset, int length)
    {
        if (Memory.IsWatchedFor(pfn, WatchReason.DecodedCode))
        {
            var page = _codeCache[pfn - Memory.BasePfn]!;
            if (++page.Writes > DecodedPage.WritesBeforeDrop) InvalidateCode(pfn);
            else
            {
                // A compiled block running from this page must stop after the store that changed it.
                bool hadBlocks = page.Blocks != null;
                page.Undecode(offset, length);
                if (hadBlocks) foreach (var hart in Harts) hart.Attention |= Hart.AttentionCodeChanged;
            }
        }
        if (Memory.IsWatchedFor(pfn, WatchReason.Reservation)) Reservations.BreakOverlapping(pfn, offset, length);
    }

    void IWriteWatcher.Released(uint pfn)
    {
        if (Memory.IsWatchedFor(pfn, WatchReason.DecodedCode)) InvalidateCode(pfn);
        if (Memory.IsWatchedFor(pfn, WatchReason.Reservation)) Reservations.BreakOverlapping(pfn, 0, PhysicalMemory.PageSize);
    }
}
