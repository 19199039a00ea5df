using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_ND_CMD_CALL, request 9: a port of __nd_ioctl(ND_CMD_CALL) and acpi_nfit_ctl as Deadline
/// found them. arg: struct nd_cmd_pkg { u64 nd_family; u64 nd_command; u32 nd_size_in; u32 nd_size_out;
/// u32 nd_reserved2[9]; u32 nd_fw_size (out); u8 nd_payload[]; } (64-byte header), then nd_size_in
/// input bytes and nd_size_out output bytes, each size at most 256. Family must be 0. Functions:
/// 0 query (out: u32 0xf, the function mask), 1 health (out: u64 0x00000000_0000_0064), 2 echo (out: the
/// input), 3 sum (out: u32 sum of the input bytes). The firmware's output is copied into the out area,
/// cut to nd_size_out; nd_fw_size is its full length; the whole envelope is copied back.
/// Errors: -EFAULT, -EINVAL (nd_reserved2 not all 0, family not 0, a size above 256), -ENOTTY (a
/// function outside the mask).</summary>
public sealed class NdCmdCallHandler : IDoubleFetchHandler
{
    private const int Header = 64, MaxSize = 256, Functions = 4;

    public uint Request => 9;
    public string Name => "DFB_ND_CMD_CALL";
    public string Origin => "nvdimm ND_CMD_CALL reserved field double fetch (Linux drivers/nvdimm/bus.c __nd_ioctl, drivers/acpi/nfit acpi_nfit_ctl; found by Deadline, S&P 2018)";
    public string Pattern =>
        "F1 copies the nd_cmd_pkg header and checks nd_reserved2[] is all zero; F2 copies the whole envelope " +
        "(header included) into the vmalloc'ed buffer that acpi_nfit_ctl works on, with nd_reserved2 never " +
        "checked again. Modelled consequence: a 'reserved, must be zero' word is what a later firmware " +
        "revision defines as the output offset, so acpi_nfit_ctl places the output at payload + nd_size_in + " +
        "nd_reserved2[0]: a non-zero F2 value writes past the envelope.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        var pkg = new byte[Header];
        if (!await c.User.CopyFromUser(arg, pkg, 0, Header)) return -Errno.EFAULT;
        for (int i = 0; i < 9; i++)
            if (BitConverter.ToUInt32(pkg, 24 + 4 * i) != 0) return -Errno.EINVAL;
        if (BitConverter.ToUInt64(pkg, 0) != 0) return -Errno.EINVAL;
        if (BitConverter.ToUInt64(pkg, 8) >= Functions) return -Errno.ENOTTY;
        uint sizeIn = BitConverter.ToUInt32(pkg, 16), sizeOut = BitConverter.ToUInt32(pkg, 20);
        if (sizeIn > MaxSize || sizeOut > MaxSize) return -Errno.EINVAL;
        int length = Header + (int)sizeIn + (int)sizeOut;
        var buffer = heap.Allocate(length, "nd_cmd_pkg envelope (vmalloc)");
        var whole = new byte[length];
        if (!await c.User.CopyFromUser(arg, whole, 0, length)) return -Errno.EFAULT;
        buffer.Write(0, whole);

        // acpi_nfit_ctl(nd_desc, nvdimm, ND_CMD_CALL, buf, buf_len): call_pkg = buf.
        ulong function = buffer.ReadUInt64(8);
        if (function >= Functions) return -Errno.ENOTTY;
        int inLength = (int)Math.Min(buffer.ReadUInt32(16), 1u << 16);
        var input = buffer.Read(Header, inLength);
        byte[] output = function switch
        {
            0 => BitConverter.GetBytes(0xfu),
            1 => BitConverter.GetBytes(100UL),
            2 => input,
            _ => BitConverter.GetBytes((uint)input.Sum(b => b)),
        };
        uint revisionOffset = buffer.ReadUInt32(24);      // nd_reserved2[0], zero when F1 checked it
        long at = Header + inLength + (long)revisionOffset;
        int copy = (int)Math.Min((uint)output.Length, buffer.ReadUInt32(20));
        buffer.WriteUInt32(60, (uint)output.Length);
        buffer.Write((int)Math.Min(at, int.MaxValue), output.AsSpan(0, copy));
        var reply = buffer.Read(0, length);
        return await c.User.CopyToUser(arg, reply, 0, length) ? 0 : -Errno.EFAULT;
    }
}
