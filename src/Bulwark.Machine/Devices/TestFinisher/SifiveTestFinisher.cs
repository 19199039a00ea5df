namespace Bulwark.Machine.Devices.TestFinisher;

/// <summary>QEMU's sifive_test device, with which a guest ends the run: a write to offset 0 whose low 16
/// bits are 0x5555 passes (status 0), 0x3333 fails with status <c>value &gt;&gt; 16</c>. 0x7777 asks QEMU to
/// reset the machine, which Bulwark does not support: the run ends as a failure (status 1) that says so.
/// Other values, and writes elsewhere, are ignored; reads return 0. Accesses are 16 or 32 bits, as QEMU
/// accepts. The board decides what ending means (its callback gets status and message); the
/// device reports only the first ending.</summary>
public sealed class SifiveTestFinisher : IMmioDevice
{
    /// <summary>Where QEMU's virt board puts it.</summary>
    public const ulong VirtBase = 0x10_0000;

    public const uint Pass = 0x5555, Fail = 0x3333, Reset = 0x7777;

    private readonly DeviceTrace _trace;
    private readonly Action<int, string?> _finish;
    private readonly RegisterMap _registers;
    private bool _finished;

    public SifiveTestFinisher(Machine machine, Action<int, string?> finish)
    {
        _trace = machine.DeviceTrace;
        _finish = finish;
        _registers = new RegisterMap(Name, _trace).Define32(0, "finisher", write: Finish);
    }

    public string Name => "test";

    public ulong Size => 0x1000;

    public bool Read(ulong offset, int size, out ulong value)
    {
        value = 0;
        return Accepts(offset, size) && _registers.Read(offset, size, out value);
    }

    public bool Write(ulong offset, int size, ulong value) =>
        Accepts(offset, size) && _registers.Write(offset, size, value);

    private static bool Accepts(ulong offset, int size) => size is 2 or 4 && offset % (ulong)size == 0;

    private void Finish(uint value)
    {
        (int Status, string? Message)? ending = (value & 0xffff) switch
        {
            Pass => (0, null),
            Fail => ((int)(value >> 16), null),
            Reset => (1, "the guest asked the test finisher to reset the machine (0x7777), which Bulwark does not support"),
            _ => null,
        };
        if (_trace.Enabled) _trace.Line(Name, $"write 0x{value:x8}{(ending == null ? " (ignored)" : "")}");
        if (ending is not { } e || _finished) return;
        _finished = true;
        _finish(e.Status, e.Message);
    }
}
