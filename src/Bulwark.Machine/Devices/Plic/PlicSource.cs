namespace Bulwark.Machine.Devices.Plic;

/// <summary>The wire from one device to one PLIC source.</summary>
internal sealed class PlicSource(SifivePlic plic, int irq) : IInterruptLine
{
    public void Set(bool level) => plic.SetSourceLevel(irq, level);
}
