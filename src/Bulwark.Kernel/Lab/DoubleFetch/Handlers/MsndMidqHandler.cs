using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_MSND_MIDQ, request 13: a port of snd_msndmidi_input_read (the MIDI input queue of the
/// msnd Classic/Pinnacle ISA cards) before the CVE-2017-9985 fix. The caller plays the card; arg is the
/// card's shared memory: struct { u16 wStart; u16 wSize; u16 wHead; u16 wTail; (the JQS registers,
/// offsets 0, 2, 4, 6) u32 received (out); u32 pad; u8 midi[64] (out: the low byte of each word read);
/// u16 data[64] (the queue's data window); } (208 bytes). While wTail != wHead the driver reads
/// data[wHead], then advances wHead (to 0 past wSize) and writes it back. wSize must be below 64 and wHead
/// at most wSize (the check the hardened driver makes). At most 64 words are read per call.
/// Errors: -EFAULT, -EIO (a queue register out of range).</summary>
public sealed class MsndMidqHandler : IDoubleFetchHandler
{
    private const ulong Size = 2, Head = 4, Tail = 6, Received = 8, Midi = 16, Data = 80;
    private const int Words = 64;

    public uint Request => 13;
    public string Name => "DFB_MSND_MIDQ";
    public string Origin => "CVE-2017-9985 (Linux sound/isa/msnd/msnd_midi.c snd_msndmidi_input_read; CVE-2017-9986 is the same in msnd_pinnacle's intr)";
    public string Pattern =>
        "The queue registers live in memory the device controls: F1 reads wHead (with wTail and wSize) for the " +
        "loop condition and range check (wHead <= wSize < 64), F2 readw()s wHead again to index the queue's " +
        "64-word data window: an out-of-bounds read of the window.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        var data = new byte[Words * 2];
        if (!await c.User.CopyFromUser(arg + Data, data, 0, data.Length)) return -Errno.EFAULT;
        var window = heap.Wrap(data, "MIDQ data window (64 words of card memory)");
        var midi = new byte[Words];
        int received = 0;
        while (received < Words)
        {
            if (await c.User.GetUser<ushort>(arg + Tail) is not { } tail) return -Errno.EFAULT;
            if (await c.User.GetUser<ushort>(arg + Head) is not { } head) return -Errno.EFAULT;
            if (tail == head) break;
            if (await c.User.GetUser<ushort>(arg + Size) is not { } size) return -Errno.EFAULT;
            if (size >= Words || head > size || tail > size) return -Errno.EIO;

            if (await c.User.GetUser<ushort>(arg + Head) is not { } index) return -Errno.EFAULT;
            ushort value = BitConverter.ToUInt16(window.Read(2 * index, 2));
            midi[received++] = (byte)value;

            if (await c.User.GetUser<ushort>(arg + Head) is not { } current) return -Errno.EFAULT;
            if (await c.User.GetUser<ushort>(arg + Size) is not { } wrap) return -Errno.EFAULT;
            int next = current + 1;
            if (!await c.User.PutUser(arg + Head, (ushort)(next > wrap ? 0 : next))) return -Errno.EFAULT;
        }
        if (!await c.User.CopyToUser(arg + Midi, midi, 0, received)) return -Errno.EFAULT;
        return await c.User.PutUser(arg + Received, (uint)received) ? 0 : -Errno.EFAULT;
    }
}
