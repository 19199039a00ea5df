namespace Bulwark.Kernel.Fs;

/// <summary>An epoll instance: an interest list keyed by (descriptor, open file) and a ready list in
/// the order items became ready, as Linux keeps it. Level-triggered items that are reported go to the
/// back of the ready list; one-shot items are disabled until EPOLL_CTL_MOD. Edge-triggered items report
/// again only after a scan saw them not ready or after some file's readiness changed (a superset of
/// Linux's edges: a waiter may see an extra event, never miss one).</summary>
public sealed class EpollFile : OpenFile
{
    public const uint EpollEt = 1u << 31, EpollOneShot = 1u << 30, EpollWakeup = 1u << 29, EpollExclusive = 1u << 28;

    private sealed class Item(int fd, OpenFile file, uint events, ulong data)
    {
        public int Fd { get; } = fd;
        public OpenFile File { get; } = file;
        public uint Events { get; set; } = events;
        public ulong Data { get; set; } = data;
        public bool Disabled { get; set; }
        /// <summary>Edge-triggered: a scan saw the item not ready since it was last reported.</summary>
        public bool Armed { get; set; } = true;
        public long ReportedGeneration { get; set; } = -1;
    }

    private readonly List<Item> _items = [];
    private readonly List<Item> _ready = [];
    private bool _scanning;

    public override Inode? Inode => null;
    public override uint StatMode => 0x180;

    private Item? Find(int fd, OpenFile file) => _items.Find(i => i.Fd == fd && ReferenceEquals(i.File, file));

    public bool Contains(int fd, OpenFile file) => Find(fd, file) != null;

    public void Add(KernelCore kernel, int fd, OpenFile file, uint events, ulong data)
    {
        _items.Add(new Item(fd, file, events, data));
        kernel.ReadinessChanged();
    }

    public void Modify(KernelCore kernel, int fd, OpenFile file, uint events, ulong data)
    {
        var item = Find(fd, file)!;
        item.Events = events;
        item.Data = data;
        item.Disabled = false;
        item.Armed = true;
        kernel.ReadinessChanged();
    }

    public void Remove(int fd, OpenFile file)
    {
        var item = Find(fd, file)!;
        _items.Remove(item);
        _ready.Remove(item);
    }

    /// <summary>Drops items whose open file was closed everywhere (Linux removes them on the last close).</summary>
    private void DropClosed()
    {
        _items.RemoveAll(i => i.File.References == 0);
        _ready.RemoveAll(i => i.File.References == 0);
    }

    private int MaskOf(KernelCore kernel, Item item) =>
        item.Disabled ? 0 : item.File.Poll(kernel) & (int)(item.Events | PollEvents.Always);

    /// <summary>Brings the ready list up to date; returns the earliest time a timer makes an item ready.</summary>
    private ulong Refresh(KernelCore kernel)
    {
        DropClosed();
        ulong wakeAt = ulong.MaxValue;
        _scanning = true;
        try
        {
            foreach (var item in _items)
            {
                int mask = MaskOf(kernel, item);
                if (mask == 0)
                {
                    item.Armed = true;
                    _ready.Remove(item);
                    if (!item.Disabled) wakeAt = Math.Min(wakeAt, item.File.ReadyAtNs);
                }
                else if (!_ready.Contains(item)) _ready.Add(item);
            }
        }
        finally
        {
            _scanning = false;
        }
        return wakeAt;
    }

    /// <summary>Takes up to <paramref name="max"/> events into <paramref name="output"/> (16-byte struct
    /// epoll_event each); returns how many, and when a timer may make one ready.</summary>
    public (int Count, ulong WakeAt) Collect(KernelCore kernel, byte[] output, int max)
    {
        ulong wakeAt = Refresh(kernel);
        int count = 0;
        var reported = new List<Item>();
        foreach (var item in _ready.ToArray())
        {
            if (count >= max) break;
            bool edge = (item.Events & EpollEt) != 0;
            if (edge && !item.Armed && item.ReportedGeneration == kernel.ReadinessGeneration) continue;
            int mask = MaskOf(kernel, item);
            if (mask == 0) continue;
            var span = output.AsSpan(count * 16, 16);
            span.Clear();
            BitConverter.TryWriteBytes(span, (uint)mask);
            BitConverter.TryWriteBytes(span[8..], item.Data);
            count++;
            _ready.Remove(item);
            if ((item.Events & EpollOneShot) != 0) item.Disabled = true;
            else if (edge)
            {
                item.Armed = false;
                item.ReportedGeneration = kernel.ReadinessGeneration;
            }
            else reported.Add(item);
        }
        _ready.AddRange(reported);
        return (count, wakeAt);
    }

    /// <summary>An epoll file is readable when one of its items would be reported.</summary>
    public override int Poll(KernelCore kernel)
    {
        if (_scanning) return 0; // an epoll set watching itself through another one
        Refresh(kernel);
        foreach (var item in _ready)
            if ((item.Events & EpollEt) == 0 || item.Armed || item.ReportedGeneration != kernel.ReadinessGeneration)
                return PollEvents.In;
        return 0;
    }

    public override ulong ReadyAtNs
    {
        get
        {
            if (_scanning) return ulong.MaxValue;
            _scanning = true;
            ulong at = ulong.MaxValue;
            foreach (var item in _items) if (!item.Disabled) at = Math.Min(at, item.File.ReadyAtNs);
            _scanning = false;
            return at;
        }
    }

    protected override void OnLastClose(KernelCore kernel)
    {
        _items.Clear();
        _ready.Clear();
    }
}
