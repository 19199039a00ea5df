using Bulwark.Machine.Devices;

namespace Bulwark.Tests.S3k;

/// <summary>The part of an ns16550a the course's programs use: a write to THR (offset 0) prints a byte,
/// LSR (offset 5) always says the transmitter is ready. Stands in for the board's UART in these tests.</summary>
public sealed class TestUart(Stream output) : IMmioDevice
{
    public const ulong Base = 0x1000_0000;

    public string Name => "test-uart";
    public ulong Size => 0x100;

    public bool Read(ulong offset, int size, out ulong value)
    {
        value = offset == 5 ? 0x60UL : 0;
        return true;
    }

    public bool Write(ulong offset, int size, ulong value)
    {
        if (offset == 0) output.WriteByte((byte)value);
        return true;
    }
}
