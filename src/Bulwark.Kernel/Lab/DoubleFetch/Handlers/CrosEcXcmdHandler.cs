using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_CROS_EC_XCMD, request 5: a port of ec_device_ioctl_xcmd (CROS_EC_DEV_IOCXCMD) before the
/// CVE-2016-6156 fix. arg: struct cros_ec_command { u32 version; u32 command; u32 outsize; u32 insize;
/// u32 result (out); u8 data[]; } (20-byte header), data holding max(outsize, insize) bytes; outsize and
/// insize at most EC_MAX_MSG_BYTES (252 here). The simulated EC answers command 0 (protocol version) with
/// u32 3, command 1 (hello) with the u32 it was sent plus 0x01020304 (result 3, EC_RES_INVALID_PARAM,
/// if outsize or insize is below 4), anything else with result 1 (EC_RES_INVALID_COMMAND); the answer is
/// zero-padded to insize bytes. The header and insize bytes of data are copied back.
/// Errors: -EFAULT, -EINVAL (outsize or insize above 252).</summary>
public sealed class CrosEcXcmdHandler : IDoubleFetchHandler
{
    private const int Header = 20, MaxMessage = 252;

    public uint Request => 5;
    public string Name => "DFB_CROS_EC_XCMD";
    public string Origin => "CVE-2016-6156 (Linux drivers/platform/chrome/cros_ec_dev.c ec_device_ioctl_xcmd)";
    public string Pattern =>
        "F1 copies the cros_ec_command header and checks outsize and insize against EC_MAX_MSG_BYTES, then " +
        "kmallocs header + max(outsize, insize); F2 copies header + outsize again over it, so the command " +
        "handed to cros_ec_cmd_xfer carries F2's sizes: the EC's answer of insize bytes overflows the buffer.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        var header = new byte[Header];
        if (!await c.User.CopyFromUser(arg, header, 0, Header)) return -Errno.EFAULT;
        uint outsize = BitConverter.ToUInt32(header, 8), insize = BitConverter.ToUInt32(header, 12);
        if (outsize > MaxMessage || insize > MaxMessage) return -Errno.EINVAL;
        var command = heap.Allocate(Header + (int)Math.Max(outsize, insize), "cros_ec_command s_cmd");
        var whole = new byte[Header + outsize];
        if (!await c.User.CopyFromUser(arg, whole, 0, whole.Length)) return -Errno.EFAULT;
        command.Write(0, whole);

        Transfer(command);

        var reply = command.Read(0, Header + (int)insize);
        return await c.User.CopyToUser(arg, reply, 0, reply.Length) ? 0 : -Errno.EFAULT;
    }

    /// <summary>cros_ec_cmd_xfer: sends outsize bytes of data and receives insize bytes, both sizes
    /// taken from the command buffer.</summary>
    private static void Transfer(KernelBuffer command)
    {
        uint code = command.ReadUInt32(4);
        // Lengths beyond 64 KiB are cut there: still far past any buffer, without a huge host allocation.
        int outsize = Clamp(command.ReadUInt32(8)), insize = Clamp(command.ReadUInt32(12));
        var sent = command.Read(Header, outsize);
        var answer = new byte[insize];
        uint result = 0;
        switch (code)
        {
            case 0:
                if (insize >= 4) BitConverter.TryWriteBytes(answer, 3u);
                else result = 3;
                break;
            case 1:
                if (outsize >= 4 && insize >= 4) BitConverter.TryWriteBytes(answer, BitConverter.ToUInt32(sent) + 0x01020304u);
                else result = 3;
                break;
            default:
                result = 1;
                break;
        }
        command.WriteUInt32(16, result);
        command.Write(Header, answer);
    }

    private static int Clamp(uint length) => (int)Math.Min(length, 1u << 16);
}
