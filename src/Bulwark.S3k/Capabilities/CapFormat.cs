namespace Bulwark.S3k.Capabilities;

/// <summary>A capability as the kernel prints it (cap_snprint): the boot table and the traces. Numbers as
/// s3k's own printf writes them: %d decimal, %X upper-case hexadecimal without leading zeros.</summary>
public static class CapFormat
{
    public static string Format(Cap c)
    {
        switch (c.Type)
        {
            case CapType.None:
                return "NONE{}";
            case CapType.Time:
                return $"TIME{{hart={c.Hart},bgn={c.Bgn},end={c.End},mrk={c.Mrk}}}";
            case CapType.Memory:
                return $"MEMORY{{bgn=0x{Hex(Cap.BlockAddress(c.Tag, c.Bgn))},end=0x{Hex(Cap.BlockAddress(c.Tag, c.End))}," +
                       $"mrk=0x{Hex(Cap.BlockAddress(c.Tag, c.Mrk))},rwx={c.Rwx},lck={(c.Lck ? 1 : 0)}}}";
            case CapType.Pmp:
            {
                var (b, size) = Cap.NapotDecode(c.Addr);
                return $"PMP{{bgn=0x{Hex(b)},end=0x{Hex(b + size)},rwx={c.Rwx},used={(c.Used ? 1 : 0)},slot={c.Slot}}}";
            }
            case CapType.Monitor:
                return $"MONITOR{{bgn={c.Bgn},end={c.End},mrk={c.Mrk}}}";
            case CapType.Channel:
                return $"CHANNEL{{bgn={c.Bgn},end={c.End},mrk={c.Mrk}}}";
            case CapType.Socket:
                // %d takes the 32-bit tag as unsigned.
                return $"SOCKET{{chan={c.Chan},tag={c.SocketTag},perm={c.Perm},mode={c.Mode}}}";
            default:
                return $"UNKNOWN{{raw=0x{Hex(c.Raw)}}}";
        }
    }

    private static string Hex(ulong v) => v.ToString("X");
}
