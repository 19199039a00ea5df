using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_XEN_BLKIF, request 11: a port of QEMU's xen_disk backend reading requests from the
/// blkif shared ring (blkif_get_x86_64_req, then ioreq_parse) before the XSA-155 / CVE-2015-8550 fix.
/// The caller plays the frontend; arg is the shared ring: struct { u32 req_prod; u32 req_event;
/// u32 rsp_prod (out); u32 rsp_event; union { request; response; } ring[4]; } (16 + 4*112 bytes).
/// Request (112 bytes): { u8 operation; u8 nr_segments; u16 handle; u32 pad; u64 id; u64 sector_number;
/// struct { u32 gref; u8 first_sect; u8 last_sect; u16 pad; } seg[11]; }. Response, written over the
/// request's slot: { u64 id; u8 operation; u8 pad; s16 status; }. Status 0 (BLKIF_RSP_OKAY) for a read (0)
/// or write (1) with 1..11 segments each with first_sect &lt;= last_sect &lt;= 7, else -1 (BLKIF_RSP_ERROR).
/// Errors: -EFAULT, -EACCES (req_prod above 4: "Frontend provided bogus ring requests").</summary>
public sealed class XenBlkifHandler : IDoubleFetchHandler
{
    private const int RingHeader = 16, Slot = 112, Slots = 4, MaxSegments = 11, SegmentsAt = 24, Segment = 8;

    public uint Request => 11;
    public string Name => "DFB_XEN_BLKIF";
    public string Origin => "XSA-155 / CVE-2015-8550 (QEMU hw/block/xen_blkif.h blkif_get_x86_64_req, xen_disk.c)";
    public string Pattern =>
        "The backend copies a request out of the ring shared with the guest: F1 reads src->nr_segments in " +
        "'if (n > src->nr_segments)' (n = BLKIF_MAX_SEGMENTS_PER_REQUEST = 11), F2 re-reads it in " +
        "'n = src->nr_segments', so the min() is bypassed and the segment copy loop writes F2's count of " +
        "segments into the private request's seg[11]: a heap overflow.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        if (await c.User.GetUser<uint>(arg) is not { } produced) return -Errno.EFAULT;
        if (produced > Slots) return -Errno.EACCES;
        for (uint i = 0; i < produced; i++)
        {
            ulong slot = arg + RingHeader + i * Slot;
            var request = heap.Allocate(Slot, "blkif_request_t (backend's private copy)");

            // blkif_get_x86_64_req(&ioreq->req, RING_GET_REQUEST(...))
            var header = new byte[SegmentsAt];
            if (!await c.User.CopyFromUser(slot, header, 0, SegmentsAt)) return -Errno.EFAULT;
            request.Write(0, header);                          // dst->operation, dst->nr_segments, handle, id, sector
            int n = MaxSegments;
            if (await c.User.GetUser<byte>(slot + 1) is not { } checkedCount) return -Errno.EFAULT;
            if (n > checkedCount)
            {
                if (await c.User.GetUser<byte>(slot + 1) is not { } count) return -Errno.EFAULT;
                n = count;
            }
            var segments = new byte[n * Segment];
            if (!await c.User.CopyFromUser(slot + SegmentsAt, segments, 0, segments.Length)) return -Errno.EFAULT;
            for (int s = 0; s < n; s++) request.Write(SegmentsAt + s * Segment, segments.AsSpan(s * Segment, Segment));

            // ioreq_parse, on the private copy
            short status = Parse(request) ? (short)0 : (short)-1;
            var response = new byte[12];
            request.Read(8, 8).CopyTo(response, 0);              // id
            response[8] = request.Read(0, 1)[0];                 // operation
            BitConverter.TryWriteBytes(response.AsSpan(10), status);
            if (!await c.User.CopyToUser(slot, response, 0, response.Length)) return -Errno.EFAULT;
        }
        return await c.User.PutUser(arg + 8, produced) ? 0 : -Errno.EFAULT;
    }

    private static bool Parse(KernelBuffer request)
    {
        var header = request.Read(0, 2);
        if (header[0] > 1) return false;
        int count = header[1];
        if (count == 0 || count > MaxSegments) return false;
        for (int s = 0; s < count; s++)
        {
            var segment = request.Read(SegmentsAt + s * Segment, Segment);
            if (segment[4] > segment[5] || segment[5] > 7) return false;
        }
        return true;
    }
}
