namespace Bulwark.Kernel.Memory;

[Flags]
public enum Protection
{
    None = 0,
    Read = 1,
    Write = 2,
    Exec = 4,
}

/// <summary>A virtual memory area: a page-aligned range with one protection and sharing mode.
/// Pages are backed lazily, on first touch.</summary>
public sealed class Vma(ulong start, ulong end, Protection protection, bool shared, string name, SharedMemory? backing = null, ulong backingPage = 0)
{
    public ulong Start { get; set; } = start;
    public ulong End { get; set; } = end;
    public Protection Protection { get; set; } = protection;
    /// <summary>MAP_SHARED: a fork maps the same frames instead of copying them.</summary>
    public bool Shared { get; } = shared;
    public string Name { get; } = name;
    /// <summary>For shared areas: the pages every mapper shares, and the page of it at <see cref="Start"/>.</summary>
    public SharedMemory? Backing { get; } = backing;
    public ulong BackingPage { get; } = backingPage;

    public bool Contains(ulong va) => va >= Start && va < End;

    /// <summary>Called when the area enters an address space's list.</summary>
    public void Attached() => Backing?.Attach();

    /// <summary>Called when the area leaves an address space's list (unmapped, split, or the space destroyed).</summary>
    public void Detached() => Backing?.Detach();

    public Vma Slice(ulong start, ulong end) =>
        new(start, end, Protection, Shared, Name, Backing, BackingPage + (start - Start) / Memory.AddressSpace.PageSize);
}
