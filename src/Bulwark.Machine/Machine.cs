using Bulwark.Machine.Cpu;
using Bulwark.Machine.Memory;

namespace Bulwark.Machine;

/// <summary>The hardware: harts, physical memory, the decoded-code cache and the clock. It knows
/// nothing of any kernel; the kernel plugs in through <see cref="FaultHandler"/> and by running harts.</summary>
public sealed class Machine : IWriteWatcher
{
    private readonly DecodedPage?[] _codeCache;

    public Machine(int harts, ulong memoryBytes)
    {
        if (harts < 1) throw new ArgumentOutOfRangeException(nameof(harts), "at least one hart is needed");
        Memory = new PhysicalMemory(memoryBytes);
        Memory.Watcher = this;
        _codeCache = new DecodedPage?[Memory.FrameCount];
        Reservations = new ReservationTable(this);
        Harts = Enumerable.Range(0, harts).Select(i => new Hart(this, i)).ToArray();
    }

    public PhysicalMemory Memory { get; }
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
        var page = _codeCache[pfn];
        if (page != null) return page;
        page = new DecodedPage(pfn);
        _codeCache[pfn] = page;
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
        for (uint pfn = 0; pfn < _codeCache.Length; pfn++)
            if (_codeCache[pfn] != null) InvalidateCode(pfn);
    }

    private void InvalidateCode(uint pfn)
    {
        var page = _codeCache[pfn];
        if (page == null) return;
        page.Valid = false;
        _codeCache[pfn] = null;
        Memory.Unwatch(pfn, WatchReason.DecodedCode);
        ShootDownFrame(pfn);
    }

    void IWriteWatcher.BeforeWatchedWrite(uint pfn, int offset, int length)
    {
        if (Memory.IsWatchedFor(pfn, WatchReason.DecodedCode)) InvalidateCode(pfn);
        if (Memory.IsWatchedFor(pfn, WatchReason.Reservation)) Reservations.BreakOverlapping(pfn, offset, length);
    }
}
