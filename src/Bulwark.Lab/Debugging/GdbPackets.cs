using System.Text;

namespace Bulwark.Lab.Debugging;

/// <summary>GDB's remote serial protocol framing: <c>$payload#checksum</c>, acknowledged with '+', and
/// the interrupt byte 0x03 (Ctrl-C). One connection; everything is ASCII.</summary>
public sealed class GdbPackets(Stream stream)
{
    public const int Interrupt = -2;
    private readonly byte[] _one = new byte[1];

    /// <summary>The next packet's payload, <see cref="Interrupt"/> as "\x03", or null when gdb hung up.</summary>
    public string? Receive()
    {
        while (true)
        {
            int c = ReadByte();
            if (c < 0) return null;
            if (c == 0x03) return "\x03";
            if (c != '$') continue;
            var payload = new StringBuilder();
            while ((c = ReadByte()) >= 0 && c != '#') payload.Append((char)c);
            int hi = ReadByte(), lo = ReadByte();
            if (c < 0 || hi < 0 || lo < 0) return null;
            string text = payload.ToString();
            bool ok = Convert.ToByte($"{(char)hi}{(char)lo}", 16) == Checksum(text);
            stream.WriteByte((byte)(ok ? '+' : '-'));
            if (ok) return text;
        }
    }

    public void Send(string payload)
    {
        var bytes = Encoding.ASCII.GetBytes($"${payload}#{Checksum(payload):x2}");
        stream.Write(bytes);
        stream.Flush();
        // The acknowledgement ('+'); a '-' asks for the packet again.
        int ack = ReadByte();
        if (ack == '-') Send(payload);
    }

    /// <summary>Whether gdb sent Ctrl-C while the target ran (checked without blocking by the caller).</summary>
    public bool InterruptPending(Func<bool> dataAvailable)
    {
        if (!dataAvailable()) return false;
        return ReadByte() == 0x03;
    }

    private int ReadByte() => stream.Read(_one, 0, 1) == 1 ? _one[0] : -1;

    private static byte Checksum(string payload)
    {
        int sum = 0;
        foreach (char ch in payload) sum += ch;
        return (byte)sum;
    }
}
