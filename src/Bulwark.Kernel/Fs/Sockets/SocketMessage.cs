namespace Bulwark.Kernel.Fs.Sockets;

/// <summary>What one send queued at a receiver: bytes (a stream reads across messages, a datagram or packet is
/// read whole), files passed with SCM_RIGHTS, and who sent it (its name is what recvfrom reports, as Linux reads it
/// at receive time; its send buffer carries the bytes until they are read).</summary>
public sealed class SocketMessage(byte[] data, OpenFile[]? rights, UnixSocket sender)
{
    public byte[] Data { get; } = data;
    /// <summary>Bytes a stream reader has taken already.</summary>
    public int Offset { get; set; }
    public int Left => Data.Length - Offset;
    public OpenFile[]? Rights { get; set; } = rights;
    public UnixSocket Sender { get; } = sender;
}
