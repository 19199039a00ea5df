using Bulwark.Machine.Memory;

namespace Bulwark.Machine.Cpu;

/// <summary>LR/SC reservations of all harts, by physical address. A reserved frame is watched, so any
/// store to it from any hart, the kernel or a device reaches <see cref="BreakOverlapping"/>.</summary>
internal sealed class ReservationTable(Machine machine)
{
    public void Reserve(Hart hart, ulong physicalAddress, int size)
    {
        Clear(hart);
        hart.HasReservation = true;
        hart.ReservationAddress = physicalAddress;
        hart.ReservationSize = size;
        uint pfn = (uint)(physicalAddress >> PhysicalMemory.PageShift);
        if (!machine.Memory.IsWatchedFor(pfn, WatchReason.Reservation))
        {
            machine.Memory.Watch(pfn, WatchReason.Reservation);
            machine.RevokeAllWriteTranslations(pfn);
        }
    }

    public bool Holds(Hart hart, ulong physicalAddress, int size) =>
        hart.HasReservation && hart.ReservationAddress == physicalAddress && hart.ReservationSize == size;

    public void Clear(Hart hart)
    {
        if (!hart.HasReservation) return;
        hart.HasReservation = false;
        uint pfn = (uint)(hart.ReservationAddress >> PhysicalMemory.PageShift);
        if (!machine.Harts.Any(h => h.HasReservation && (h.ReservationAddress >> PhysicalMemory.PageShift) == pfn))
            machine.Memory.Unwatch(pfn, WatchReason.Reservation);
    }

    public void BreakOverlapping(uint pfn, int offset, int length)
    {
        ulong start = ((ulong)pfn << PhysicalMemory.PageShift) + (ulong)offset;
        ulong end = start + (ulong)length;
        foreach (var hart in machine.Harts)
        {
            if (!hart.HasReservation) continue;
            ulong r = hart.ReservationAddress;
            if (r < end && start < r + (ulong)hart.ReservationSize) Clear(hart);
        }
    }
}
