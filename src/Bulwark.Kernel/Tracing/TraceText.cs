using System.Text;

namespace Bulwark.Kernel.Tracing;

/// <summary>How strace writes values, so a trace reads like strace's: strings quoted with C escapes
/// (octal by default, as strace prints without -x) and cut after 32 bytes like its default `-s 32`,
/// addresses in hex with NULL for 0.</summary>
internal static class TraceText
{
    /// <summary>strace's default `-s`: bytes of a string or buffer, and elements of an array, shown before "...".</summary>
    public const int MaxShown = 32;

    public static string Pointer(ulong value) => value == 0 ? "NULL" : $"0x{value:x}";

    public static string Hex(ulong value) => value == 0 ? "0" : $"0x{value:x}";

    /// <summary>A mode_t as strace shows it: octal with a leading 0.</summary>
    public static string Octal(ulong value) => "0" + Convert.ToString((long)value, 8).PadLeft(2, '0');

    /// <summary><paramref name="bytes"/> quoted and escaped; "..." follows when more bytes existed than shown.
    /// <paramref name="hex"/> escapes every byte (strace does so for random bytes).</summary>
    public static string Quote(ReadOnlySpan<byte> bytes, bool cut, bool hex = false)
    {
        var text = new StringBuilder(bytes.Length + 8).Append('"');
        for (int i = 0; i < bytes.Length; i++)
        {
            byte c = bytes[i];
            if (hex)
            {
                text.Append("\\x").Append(c.ToString("x2"));
                continue;
            }
            switch (c)
            {
                case (byte)'"': text.Append("\\\""); break;
                case (byte)'\\': text.Append("\\\\"); break;
                case (byte)'\f': text.Append("\\f"); break;
                case (byte)'\n': text.Append("\\n"); break;
                case (byte)'\r': text.Append("\\r"); break;
                case (byte)'\t': text.Append("\\t"); break;
                case (byte)'\v': text.Append("\\v"); break;
                case >= 0x20 and <= 0x7e: text.Append((char)c); break;
                default:
                    // Shortest octal escape, unless an octal digit follows and would be read as part of it.
                    text.Append('\\');
                    bool digitFollows = i + 1 < bytes.Length && bytes[i + 1] is >= (byte)'0' and <= (byte)'7';
                    if (digitFollows || c >> 6 != 0) text.Append((char)('0' + (c >> 6)));
                    if (digitFollows || c >> 3 != 0) text.Append((char)('0' + ((c >> 3) & 7)));
                    text.Append((char)('0' + (c & 7)));
                    break;
            }
        }
        text.Append('"');
        if (cut) text.Append("...");
        return text.ToString();
    }

    /// <summary>Bits of <paramref name="value"/> named from <paramref name="names"/> (in that order) joined
    /// with '|', the rest in hex; <paramref name="zero"/> when no bit is set.</summary>
    public static string Flags(ulong value, (ulong Bits, string Name)[] names, string zero = "0")
    {
        if (value == 0) return zero;
        var parts = new List<string>();
        foreach (var (bits, name) in names)
        {
            if (bits == 0 || (value & bits) != bits) continue;
            parts.Add(name);
            value &= ~bits;
        }
        if (value != 0) parts.Add($"0x{value:x}");
        return string.Join('|', parts);
    }
}
