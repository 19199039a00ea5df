using System.Buffers.Binary;
using System.Text;
using Bulwark.Machine.Memory;
using Bulwark.Machine.Scheduling;

namespace Bulwark.Machine.Devices.Virtio;

/// <summary>A virtio block device (virtio 1.2 §5.2) over a <see cref="DiskImage"/>, one request queue.
/// Offers SEG_MAX, BLK_SIZE, FLUSH, RO (when the image is read-only), INDIRECT_DESC and EVENT_IDX.
/// Requests: IN, OUT, FLUSH, GET_ID; any other type completes with UNSUPP.
///
/// <para>Requests are really in flight. At notify the device pops each chain and reads what it needs
/// from the device-readable buffers: the 16-byte header and, for a valid OUT, the data (QEMU maps the
/// buffers at pop; we copy, so a driver changing them afterwards changes nothing). The request then
/// completes after a seeded latency (<see cref="BlockLatency"/>) in virtual time: only then does the disk
/// change (OUT) or get read (IN), are the device-writable buffers written, the used element published
/// and the interrupt raised. Several requests may be in flight; each completes on its own, so the used
/// ring is in completion order. A FLUSH completes no earlier than every request already in flight.</para>
///
/// <para>The device writes every byte of a request's writable part: the data it has (read data, the ID),
/// zeros for the rest, the status as the last byte; so the used length is the writable part's full size
/// and counts only bytes really written (QEMU reports the same length but leaves the unwritten data
/// bytes of a failed request as they were).</para>
///
/// <para>Reset cancels every request in flight: nothing of them reaches the disk or RAM later. A broken
/// device drops its in-flight requests the same way when they come due.</para></summary>
public sealed class VirtioBlock : IVirtioDevice, IDeviceCounters
{
    public const uint BlockDeviceId = 2;

    public const ulong FeatureSegMax = 1UL << 2;
    public const ulong FeatureReadOnly = 1UL << 5;
    public const ulong FeatureBlockSize = 1UL << 6;
    public const ulong FeatureFlush = 1UL << 9;

    public const uint TypeIn = 0;
    public const uint TypeOut = 1;
    public const uint TypeFlush = 4;
    public const uint TypeGetId = 8;

    public const byte StatusOk = 0;
    public const byte StatusIoError = 1;
    public const byte StatusUnsupported = 2;

    /// <summary>Bytes of a GET_ID answer.</summary>
    public const int IdBytes = 20;

    /// <summary>QEMU's virtio-blk queue-size default.</summary>
    public const ushort QueueSize = 256;

    private const int HeaderBytes = 16;
    private const int ConfigBytes = 36;   // through num_queues; QEMU's size without DISCARD/WRITE_ZEROES

    private readonly DiskImage _disk;
    private readonly BlockLatency _latency;
    private readonly SplitMix64 _random;
    private readonly byte[] _id = new byte[IdBytes];
    private readonly byte[] _config = new byte[ConfigBytes];
    private readonly List<Request> _inFlight = [];
    private IVirtioTransport? _transport;

    private long _reads, _writes, _flushes, _getIds, _unsupported, _ioErrors, _cancelled, _failedByKernel;
    private long _bytesFromDisk, _bytesToDisk;

    /// <summary>A block device over <paramref name="disk"/>. <paramref name="seed"/> feeds the latency's
    /// pseudo-random part; <paramref name="serial"/> is the GET_ID answer (at most 20 bytes, zero-padded).</summary>
    public VirtioBlock(DiskImage disk, ulong seed, BlockLatency? latency = null, string serial = "bulwark")
    {
        _disk = disk;
        _latency = latency ?? BlockLatency.Default;
        _random = new SplitMix64(seed);
        var id = Encoding.ASCII.GetBytes(serial);
        if (id.Length > IdBytes) throw new ArgumentException("a virtio-blk serial is at most 20 bytes", nameof(serial));
        id.CopyTo(_id, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(_config, disk.Sectors);          // capacity
        BinaryPrimitives.WriteUInt32LittleEndian(_config.AsSpan(12), QueueSize - 2); // seg_max, as QEMU
        BinaryPrimitives.WriteUInt32LittleEndian(_config.AsSpan(20), DiskImage.SectorSize); // blk_size
        _config[32] = 1;                                                            // writeback, as QEMU
        BinaryPrimitives.WriteUInt16LittleEndian(_config.AsSpan(34), 1);           // num_queues
    }

    public uint DeviceId => BlockDeviceId;

    public ulong Features =>
        FeatureSegMax | FeatureBlockSize | FeatureFlush | (_disk.ReadOnly ? FeatureReadOnly : 0)
        | VirtioFeature.IndirectDesc | VirtioFeature.EventIdx;

    public int QueueCount => 1;
    public ushort DefaultQueueSize => QueueSize;
    public ReadOnlySpan<byte> Config => _config;
    public DiskImage Disk => _disk;

    /// <summary>Requests popped and not yet completed or cancelled.</summary>
    public int InFlight => _inFlight.Count;

    public IEnumerable<VirtqueueElement> InFlightElements => _inFlight.Where(r => r.Queue.IsCurrent(r.Element)).Select(r => r.Element);

    public void Attach(IVirtioTransport transport) => _transport = transport;

    private sealed class Request(SplitVirtqueue queue, VirtqueueElement element, uint type, ulong sector)
    {
        public SplitVirtqueue Queue { get; } = queue;
        public VirtqueueElement Element { get; } = element;
        public uint Type { get; } = type;
        public ulong Sector { get; } = sector;
        public byte Status { get; set; } = StatusOk;
        public ulong DataBytes { get; set; }
        public byte[]? Payload { get; set; }
        public ulong DoneAt { get; set; }
        public bool Cancelled { get; set; }
    }

    public void Notify(SplitVirtqueue queue)
    {
        var t = _transport!;
        while (!t.IsBroken && queue.Pop() is { } element)
        {
            t.Popped(queue, element);
            Start(queue, element);
        }
        if (!t.IsBroken) queue.PublishAvailEvent();
    }

    private void Start(SplitVirtqueue queue, VirtqueueElement e)
    {
        var t = _transport!;
        using var tag = t.Dma.For(new DmaRequest(queue.Index, e.Head));
        if (e.Readable.Count == 0 || e.Writable.Count == 0)
        {
            Drop(queue, e, "virtio-blk missing headers");
            return;
        }
        if (e.ReadableBytes < HeaderBytes)
        {
            Drop(queue, e, "virtio-blk request outhdr too short");
            return;
        }
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (!e.ReadReadable(t.Dma, 0, header))
        {
            Drop(queue, e, "virtio: bogus descriptor or out of resources");
            return;
        }
        var r = new Request(queue, e, BinaryPrimitives.ReadUInt32LittleEndian(header),
            BinaryPrimitives.ReadUInt64LittleEndian(header[8..]));
        ulong dataIn = e.WritableBytes - 1;          // the last writable byte is the status
        ulong dataOut = e.ReadableBytes - HeaderBytes;
        switch (r.Type)
        {
            case TypeIn:
                _reads++;
                if (InRange(r.Sector, dataIn)) r.DataBytes = dataIn;
                else r.Status = StatusIoError;
                break;
            case TypeOut:
                _writes++;
                if (_disk.ReadOnly || !InRange(r.Sector, dataOut)) r.Status = StatusIoError;
                else
                {
                    r.DataBytes = dataOut;
                    r.Payload = new byte[dataOut];
                    if (!e.ReadReadable(t.Dma, HeaderBytes, r.Payload))
                    {
                        Drop(queue, e, "virtio: bogus descriptor or out of resources");
                        return;
                    }
                }
                break;
            case TypeFlush:
                _flushes++;
                break;
            case TypeGetId:
                _getIds++;
                break;
            default:
                _unsupported++;
                r.Status = StatusUnsupported;
                break;
        }
        if (r.Status == StatusIoError) _ioErrors++;

        ulong now = t.Clock.Nanoseconds;
        r.DoneAt = now + _latency.Draw(_random, r.DataBytes / DiskImage.SectorSize);
        if (r.Type == TypeFlush)
            foreach (var other in _inFlight) r.DoneAt = Math.Max(r.DoneAt, other.DoneAt);
        _inFlight.Add(r);
        if (_latency.Stalls)
        {
            // A device that never completes (a hung disk): the request stays in flight until reset.
            if (t.Trace.Enabled) t.Trace.Line(t.Name, $"queue {queue.Index} head {e.Head}: {TypeName(r.Type)} sector {r.Sector} accepted; the stalled disk never completes it");
            return;
        }
        if (t.Trace.Enabled)
            t.Trace.Line(t.Name, $"queue {queue.Index} head {e.Head}: {TypeName(r.Type)} sector {r.Sector}, {r.DataBytes} bytes, completes at {r.DoneAt} ns");
        t.Clock.Schedule(r.DoneAt, () => Finish(r));
    }

    private bool InRange(ulong sector, ulong bytes)
    {
        if (bytes % DiskImage.SectorSize != 0) return false;
        ulong sectors = bytes / DiskImage.SectorSize;
        return sector <= _disk.Sectors && sectors <= _disk.Sectors - sector;
    }

    /// <summary>The request cannot go on: it is dropped (the transport is told) and the device is broken.</summary>
    private void Drop(SplitVirtqueue queue, VirtqueueElement e, string why)
    {
        var t = _transport!;
        t.Dropped(queue, e, why);
        t.Fail(why);
    }

    private void Finish(Request r)
    {
        if (r.Cancelled) return;
        _inFlight.Remove(r);
        var t = _transport!;
        var e = r.Element;
        if (t.IsBroken || !r.Queue.IsCurrent(e))
        {
            _cancelled++;
            t.Dropped(r.Queue, e, t.IsBroken ? "the device is broken" : "the queue was reset or disabled");
            return;
        }
        using var tag = t.Dma.For(new DmaRequest(r.Queue.Index, e.Head));
        ulong dataIn = e.WritableBytes - 1;
        ulong written = 0;
        bool ok = true;
        if (r.Status == StatusOk)
        {
            switch (r.Type)
            {
                case TypeIn:
                    ok = e.WriteWritable(t.Dma, 0, _disk.Slice(r.Sector * DiskImage.SectorSize, (int)r.DataBytes));
                    written = r.DataBytes;
                    _bytesFromDisk += (long)r.DataBytes;
                    break;
                case TypeOut:
                    _disk.Write(r.Sector * DiskImage.SectorSize, r.Payload);
                    _bytesToDisk += (long)r.DataBytes;
                    break;
                case TypeGetId:
                    written = Math.Min(dataIn, IdBytes);
                    ok = e.WriteWritable(t.Dma, 0, _id.AsSpan(0, (int)written));
                    break;
            }
        }
        ok = ok && Zero(e, written, dataIn) && e.WriteWritable(t.Dma, dataIn, [r.Status]);
        if (!ok)
        {
            Drop(r.Queue, e, "virtio: bogus descriptor or out of resources");
            return;
        }
        if (t.Trace.Enabled) t.Trace.Line(t.Name, $"queue {r.Queue.Index} head {e.Head}: {TypeName(r.Type)} done, status {r.Status}");
        t.Complete(r.Queue, e, (uint)e.WritableBytes, failed: r.Status != StatusOk);
    }

    /// <summary>Zeroes the writable bytes [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private bool Zero(VirtqueueElement e, ulong from, ulong to)
    {
        Span<byte> zeros = stackalloc byte[DiskImage.SectorSize];
        zeros.Clear();
        for (ulong at = from; at < to;)
        {
            int chunk = (int)Math.Min((ulong)zeros.Length, to - at);
            if (!e.WriteWritable(_transport!.Dma, at, zeros[..chunk])) return false;
            at += (ulong)chunk;
        }
        return true;
    }

    public void Reset()
    {
        var t = _transport!;
        foreach (var r in _inFlight)
        {
            r.Cancelled = true;
            t.Dropped(r.Queue, r.Element, "device reset");
        }
        _cancelled += _inFlight.Count;
        _inFlight.Clear();
    }

    /// <summary>Each picked request is withdrawn (its completion event will find it cancelled, so it never
    /// writes data), its status byte — the last writable byte — set to IOERR where allowed, and it is
    /// published with a written length of 0, once.</summary>
    public int FailInFlight(Func<VirtqueueElement, bool> which, Func<ulong, bool> mayWriteStatus)
    {
        var t = _transport!;
        var picked = _inFlight.Where(r => r.Queue.IsCurrent(r.Element) && which(r.Element)).ToList();
        foreach (var r in picked)
        {
            r.Cancelled = true;
            _inFlight.Remove(r);
            _failedByKernel++;
            var last = r.Element.Writable[^1];
            ulong status = last.Address + last.Length - 1;
            if (mayWriteStatus(status))
            {
                using var tag = t.Dma.For(new DmaRequest(r.Queue.Index, r.Element.Head));
                t.Dma.Write(status, [StatusIoError]);
            }
            t.Complete(r.Queue, r.Element, 0, failed: true);
        }
        return picked.Count;
    }

    private static string TypeName(uint type) => type switch
    {
        TypeIn => "IN",
        TypeOut => "OUT",
        TypeFlush => "FLUSH",
        TypeGetId => "GET_ID",
        _ => $"type {type}",
    };

    public IEnumerable<(string Name, long Value)> Counters
    {
        get
        {
            yield return ("read requests", _reads);
            yield return ("write requests", _writes);
            yield return ("flush requests", _flushes);
            yield return ("get-id requests", _getIds);
            yield return ("unsupported requests", _unsupported);
            yield return ("I/O errors", _ioErrors);
            yield return ("cancelled requests", _cancelled);
            yield return ("requests failed by the kernel", _failedByKernel);
            yield return ("bytes read from disk", _bytesFromDisk);
            yield return ("bytes written to disk", _bytesToDisk);
        }
    }
}
