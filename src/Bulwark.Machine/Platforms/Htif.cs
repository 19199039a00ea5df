using System.Buffers.Binary;
using Bulwark.Machine.Memory;

namespace Bulwark.Machine.Platforms;

/// <summary>The host-target interface of Spike, as the ISA tests use it: the program stores to the
/// 8-byte <c>tohost</c> word; an odd value <c>(N &lt;&lt; 1) | 1</c> ends the run, passing when N = 0 and
/// failing test case N otherwise. The board reads the word between quanta (the tests keep storing it),
/// so no store needs to be intercepted. Even values are proxy-kernel requests, which Bulwark does not serve.</summary>
public sealed class Htif(PhysicalMemory ram, ulong tohost)
{
    public ulong Address { get; } = tohost;

    /// <summary>The run's end if the program reported one: (status, message).</summary>
    public (int Status, string? Message)? Poll()
    {
        var frame = ram.Frame((uint)(Address >> PhysicalMemory.PageShift));
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(frame.AsSpan((int)(Address & (PhysicalMemory.PageSize - 1))));
        if (value == 0) return null;
        if ((value & 1) == 0) return (1, $"HTIF request 0x{value:x} at tohost (a proxy-kernel call) is not supported");
        ulong code = value >> 1;
        return code == 0 ? (0, null) : (1, $"FAIL: test case {code} (tohost = 0x{value:x})");
    }
}
