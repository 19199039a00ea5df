using Bulwark.Kernel.Syscalls;

namespace Bulwark.Kernel.Lab.DoubleFetch.Handlers;

/// <summary>DFB_FBSD_CMSG32, request 14: a port of FreeBSD's freebsd32_copyin_control (sendmsg from a
/// 32-bit process) before the CVE-2020-7460 fix (FreeBSD-SA-20:23.sendmsg). arg: struct { u64 control;
/// u32 controllen; u32 m_len (out); u64 out; u32 out_size; u32 pad; } (32 bytes). control holds 32-bit
/// control messages: struct cmsghdr32 { u32 cmsg_len; s32 cmsg_level; s32 cmsg_type; } (12 bytes) and
/// data, each message 4-byte aligned. They are converted to the 64-bit layout: a 16-byte header
/// (cmsg_len increased by 4, 4 zero bytes after cmsg_type), data at 16, each message 8-byte aligned; the
/// m_len converted bytes are copied to out. The mbuf holds MLEN (224 here) bytes, or MCLBYTES (2048) if
/// the converted length exceeds MLEN. Errors: -EFAULT, -EINVAL (controllen below 12 or, 4-aligned,
/// above 2048; a cmsg_len below 12 or past the buffer; converted length above 2048; out_size below m_len).</summary>
public sealed class FreeBsdCmsg32Handler : IDoubleFetchHandler
{
    private const uint Header32 = 12, Header64 = 16, MLen = 224, MClBytes = 2048;

    public uint Request => 14;
    public string Name => "DFB_FBSD_CMSG32";
    public string Origin => "CVE-2020-7460 (FreeBSD sys/compat/freebsd32/freebsd32_misc.c freebsd32_copyin_control, FreeBSD-SA-20:23.sendmsg)";
    public string Pattern =>
        "The first loop copyin()s every cmsg_len (F1), checks it against the buffer and sums the 64-bit " +
        "lengths to size the mbuf; the second loop copyin()s each header again (F2) and copies F2's cmsg_len " +
        "bytes of data into the mbuf: a heap (mbuf) overflow.";

    public async ValueTask<long> Handle(SyscallContext c, KernelHeap heap, ulong arg)
    {
        var request = new byte[32];
        if (!await c.User.CopyFromUser(arg, request, 0, request.Length)) return -Errno.EFAULT;
        ulong control = BitConverter.ToUInt64(request, 0), output = BitConverter.ToUInt64(request, 16);
        uint controlLength = BitConverter.ToUInt32(request, 8), outSize = BitConverter.ToUInt32(request, 24);
        if (controlLength < Header32) return -Errno.EINVAL;   // freebsd32_sendmsg

        // freebsd32_copyin_control(&control, msg.msg_control, msg.msg_controllen)
        uint buflen = Align4(controlLength);
        if (buflen > MClBytes) return -Errno.EINVAL;
        uint idx = 0, len = 0;
        while (idx < buflen)
        {
            if (await c.User.GetUser<uint>(control + idx) is not { } msglen) return -Errno.EFAULT;   // F1
            if (msglen < Header32) return -Errno.EINVAL;
            ulong aligned = ((ulong)msglen + 3) & ~3UL;
            if (idx + aligned > buflen) return -Errno.EINVAL;
            idx += (uint)aligned;
            len += Align8((uint)aligned + Header64 - Header32);
        }
        if (len > MClBytes) return -Errno.EINVAL;
        var mbuf = heap.Allocate((int)(len > MLen ? MClBytes : MLen), len > MLen ? "mbuf cluster (MCLBYTES)" : "mbuf (MLEN)");

        long md = 0;
        ulong buf = control;
        while (buflen > 0)
        {
            var header = new byte[Header32];
            if (!await c.User.CopyFromUser(buf, header, 0, (int)Header32)) return -Errno.EFAULT;      // F2
            mbuf.Write(Offset(md), header);
            uint msglen = Align4(BitConverter.ToUInt32(header, 0));
            mbuf.WriteUInt32(Offset(md), unchecked(msglen + Header64 - Header32));
            md += Header64;
            buf += Header32;
            buflen = unchecked(buflen - Header32);
            msglen = unchecked(msglen - Header32);
            if (msglen > 0)
            {
                // copyin(buf, md, msglen): the kernel writes as it copies, a chunk at a time.
                for (uint done = 0; done < msglen;)
                {
                    int chunk = (int)Math.Min(msglen - done, 256u);
                    var bytes = new byte[chunk];
                    if (!await c.User.CopyFromUser(buf + done, bytes, 0, chunk)) return -Errno.EFAULT;
                    mbuf.Write(Offset(md + done), bytes);
                    done += (uint)chunk;
                }
                md += Align8(msglen);
                buf += msglen;
                buflen = unchecked(buflen - msglen);
            }
        }

        if (outSize < len) return -Errno.EINVAL;
        var converted = mbuf.Read(0, (int)len);
        if (!await c.User.CopyToUser(output, converted, 0, converted.Length)) return -Errno.EFAULT;
        return await c.User.PutUser(arg + 12, len) ? 0 : -Errno.EFAULT;
    }

    private static uint Align4(uint n) => unchecked((n + 3) & ~3u);
    private static uint Align8(uint n) => unchecked((n + 7) & ~7u);
    private static int Offset(long offset) => (int)Math.Min(offset, int.MaxValue);
}
