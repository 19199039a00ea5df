using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_XENFB_EVENTS, request 12: a port of QEMU's xenfb_handle_events before the XSA-155 fix.
/// The caller plays the frontend; arg is the shared page: struct { u32 out_cons (in/out); u32 out_prod;
/// u32 width; u32 height (in/out: the framebuffer); u32 updated_pixels (out); u32 pad; union
/// xenfb_out_event out[8]; } (24 + 8*40 bytes). Events at out[cons % 8] for cons in [out_cons, out_prod):
/// type 2 (XENFB_TYPE_UPDATE) { u8 type; u8 pad[3]; s32 x, y, width, height; } adds the area clipped to
/// the framebuffer to updated_pixels; type 3 (XENFB_TYPE_RESIZE) { u8 type; u8 pad[3]; s32 width, height,
/// stride, depth, offset; } resizes the framebuffer if width and height are in 1..4096; other types are
/// ignored. Errors: -EFAULT, -EINVAL (out_prod - out_cons above 8; QEMU silently drops such a batch).</summary>
public sealed class XenfbEventsHandler : IDoubleFetchHandler
{
    private const int PageHeader = 24, EventSize = 40, RingLength = 8;
    private const byte Default = 0, Update = 1, Resize = 2;

    public uint Request => 12;
    public string Name => "DFB_XENFB_EVENTS";
    public string Origin => "XSA-155 (QEMU hw/display/xenfb.c xenfb_handle_events, switch on event->type)";
    public string Pattern =>
        "'switch (event->type)' on the shared ring compiles to a jump table: F1 loads type for the bounds " +
        "check (type <= 3, else default), F2 loads it again to index the table. In QEMU an out-of-range F2 " +
        "type jumps through an arbitrary table slot (control-flow hijack); modelled as an out-of-bounds read " +
        "of the 4-entry jump table.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        var header = new byte[PageHeader];
        if (!await c.User.CopyFromUser(arg, header, 0, PageHeader)) return -Errno.EFAULT;
        uint cons = BitConverter.ToUInt32(header, 0), prod = BitConverter.ToUInt32(header, 4);
        uint width = BitConverter.ToUInt32(header, 8), height = BitConverter.ToUInt32(header, 12);
        if (unchecked(prod - cons) > RingLength) return -Errno.EINVAL;
        var table = heap.Wrap([Default, Default, Update, Resize], "switch (event->type) jump table");
        long pixels = 0;
        for (; cons != prod; cons++)
        {
            ulong ev = arg + PageHeader + (cons % RingLength) * EventSize;
            if (await c.User.GetUser<byte>(ev) is not { } type) return -Errno.EFAULT;   // F1: bounds check
            byte target = Default;
            if (type <= 3)
            {
                if (await c.User.GetUser<byte>(ev) is not { } index) return -Errno.EFAULT; // F2: table index
                target = table.Read(index, 1)[0];
            }
            if (target == Default) continue;
            var body = new byte[EventSize];
            if (!await c.User.CopyFromUser(ev, body, 0, EventSize)) return -Errno.EFAULT;
            int a = BitConverter.ToInt32(body, 4), b = BitConverter.ToInt32(body, 8);
            int w = BitConverter.ToInt32(body, 12), h = BitConverter.ToInt32(body, 16);
            if (target == Update)
            {
                long x = Math.Max(a, 0), y = Math.Max(b, 0);
                long cw = Math.Min((long)w, width - x), ch = Math.Min((long)h, height - y);
                if (cw > 0 && ch > 0) pixels += cw * ch;
            }
            else if (a is >= 1 and <= 4096 && b is >= 1 and <= 4096)
            {
                width = (uint)a;
                height = (uint)b;
            }
        }
        var reply = new byte[20];
        BitConverter.TryWriteBytes(reply.AsSpan(0), cons);
        BitConverter.TryWriteBytes(reply.AsSpan(4), prod);
        BitConverter.TryWriteBytes(reply.AsSpan(8), width);
        BitConverter.TryWriteBytes(reply.AsSpan(12), height);
        BitConverter.TryWriteBytes(reply.AsSpan(16), (uint)Math.Min(pixels, uint.MaxValue));
        return await c.User.CopyToUser(arg, reply, 0, reply.Length) ? 0 : -Errno.EFAULT;
    }
}
