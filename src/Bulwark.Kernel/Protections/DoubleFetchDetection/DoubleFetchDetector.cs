using Bulwark.Kernel.Processes;
using Bulwark.Kernel.UserAccess;

namespace Bulwark.Kernel.Protections.DoubleFetchDetection;

/// <summary>Detection mode: protects nothing, but logs every time a system call reads a user page it
/// has already read, with both kernel read sites and whether a user write changed the bytes in between.
/// A situation is one pair of read sites in one call (and one verdict): a loop that fetches a page
/// byte by byte is reported once, not once per pair of bytes.</summary>
public sealed class DoubleFetchDetector(Action<string> log) : DirectUserAccess
{
    private sealed record Fetch(ulong Address, byte[] Bytes, string Site);

    private sealed record Call(string Syscall, Dictionary<ulong, List<Fetch>> Pages, HashSet<(string, string, bool, bool)> Reported);

    private readonly Dictionary<GuestThread, Call> _calls = [];
    private readonly List<DoubleFetchEvent> _events = [];

    public IReadOnlyList<DoubleFetchEvent> Events => _events;
    public int TrueDoubleFetches => _events.Count(e => e.Overlap);
    public int ChangedDoubleFetches => _events.Count(e => e.Changed);
    public int FalsePositives => _events.Count(e => !e.Overlap);

    public override void SyscallEntered(GuestThread thread, int number) =>
        _calls[thread] = new Call($"{Syscalls.SyscallNames.Describe(Syscalls.SyscallTable.Linux, number)} ({number})", [], []);

    public override void SyscallEnded(GuestThread thread) => _calls.Remove(thread);

    public override bool Read(GuestThread thread, ulong address, Span<byte> destination, string site)
    {
        if (!base.Read(thread, address, destination, site)) return false;
        if (!_calls.TryGetValue(thread, out var call)) return true;
        var fetch = new Fetch(address, destination.ToArray(), site);
        ulong end = address + (ulong)destination.Length;
        var reported = new HashSet<Fetch>();
        for (ulong page = address & ~0xfffUL; page < end; page += 0x1000)
        {
            if (!call.Pages.TryGetValue(page, out var earlier)) call.Pages[page] = earlier = [];
            foreach (var before in earlier)
                if (reported.Add(before)) Report(call, thread.Tid, before, fetch);
            earlier.Add(fetch);
        }
        return true;
    }

    private void Report(Call call, int tid, Fetch first, Fetch second)
    {
        ulong start = Math.Max(first.Address, second.Address);
        ulong end = Math.Min(first.Address + (ulong)first.Bytes.Length, second.Address + (ulong)second.Bytes.Length);
        bool overlap = start < end;
        bool changed = overlap && !first.Bytes.AsSpan((int)(start - first.Address), (int)(end - start))
            .SequenceEqual(second.Bytes.AsSpan((int)(start - second.Address), (int)(end - start)));
        if (!call.Reported.Add((first.Site, second.Site, overlap, changed))) return;
        var e = new DoubleFetchEvent(call.Syscall, tid, first.Address, first.Bytes.Length, first.Site,
            second.Address, second.Bytes.Length, second.Site, overlap, changed);
        _events.Add(e);
        log(e.ToString());
    }
}
