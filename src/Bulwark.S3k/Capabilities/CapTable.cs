namespace Bulwark.S3k.Capabilities;

/// <summary>Every process's capability slots in one table (cap_table.c): entry pid·NCAP + index. The
/// non-empty entries form one circular doubly linked list with no parent pointers: a child is inserted
/// right after its parent, so the list is a pre-order walk of the derivation tree (newest child first),
/// and revoke finds a capability's descendants by looking at what follows it. Entries are plain indexes
/// ("cte" in s3k); an empty entry's links are stale and meaningless, as in C.</summary>
public sealed class CapTable
{
    private readonly uint[] _prev, _next;
    private readonly Cap[] _caps;

    public CapTable(int procCount, int capCount)
    {
        ProcCount = procCount;
        CapCount = capCount;
        _prev = new uint[procCount * capCount];
        _next = new uint[procCount * capCount];
        _caps = new Cap[procCount * capCount];
    }

    /// <summary>Bumped at every change of an entry, so that what is derived from the table (who owns which
    /// bytes, for DMA checks) knows when to look again.</summary>
    public int Version { get; private set; }

    public int ProcCount { get; }
    public int CapCount { get; }
    public int Length => _caps.Length;

    /// <summary>ctable_get: the entry of a process's slot (the caller has checked both).</summary>
    public int Get(ulong pid, ulong index)
    {
        if (pid >= (ulong)ProcCount) throw new KernelAssertion("src/cap_table.c", 38);
        if (index >= (ulong)CapCount) throw new KernelAssertion("src/cap_table.c", 39);
        return (int)pid * CapCount + (int)index;
    }

    public bool IsEmpty(int c) => _caps[c].IsEmpty;
    public Cap Cap(int c) => _caps[c];
    public void SetCap(int c, Cap cap)
    {
        _caps[c] = cap;
        Version++;
    }
    public int Next(int c) => (int)_next[c];
    public int Prev(int c) => (int)_prev[c];

    /// <summary>The process holding entry <paramref name="c"/>.</summary>
    public int Pid(int c) => c / CapCount;

    /// <summary>The slot index of entry <paramref name="c"/> in its process.</summary>
    public int Index(int c) => c % CapCount;

    /// <summary>cte_move: <paramref name="dst"/> takes <paramref name="src"/>'s capability and its place in the list.</summary>
    public void Move(int src, int dst)
    {
        if (src == dst) return;
        Version++;
        _caps[dst] = _caps[src];
        _caps[src] = Capabilities.Cap.Empty;
        _prev[dst] = _prev[src];
        _next[dst] = _next[src];
        _next[Prev(dst)] = (uint)dst;
        _prev[Next(dst)] = (uint)dst;
    }

    /// <summary>cte_delete: empties the entry and unlinks it (its children stay in the list).</summary>
    public Cap Delete(int c)
    {
        var cap = _caps[c];
        Version++;
        _caps[c] = Capabilities.Cap.Empty;
        _next[Prev(c)] = _next[c];
        _prev[Next(c)] = _prev[c];
        return cap;
    }

    /// <summary>cte_insert: puts <paramref name="cap"/> in <paramref name="c"/>, linked right after <paramref name="prev"/>.</summary>
    public void Insert(int c, Cap cap, int prev)
    {
        _prev[c] = (uint)prev;
        _next[c] = _next[prev];
        _next[Prev(c)] = (uint)c;
        _prev[Next(c)] = (uint)c;
        _caps[c] = cap;
        Version++;
    }

    /// <summary>The list from entry <paramref name="start"/> on, once around (for traces and tests).</summary>
    public IEnumerable<int> ListFrom(int start)
    {
        int c = start;
        for (int n = 0; n < _caps.Length; n++)
        {
            yield return c;
            c = Next(c);
            if (c == start) yield break;
        }
    }
}
