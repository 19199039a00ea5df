using Bulwark.Machine;
using Bulwark.Machine.Devices.Virtio;
using Bulwark.Machine.Memory;
using Bulwark.S3k.Capabilities;

namespace Bulwark.S3k.Dma;

/// <summary>The kernel's DMA monitor on the board's bus (issue 9). At every device access to RAM it tags the
/// bytes with their owners at that moment (<see cref="OwnershipMap"/>) and logs the access
/// (<see cref="DmaLog"/>); unless the policy is none, it refuses an access that reaches bytes owned by no
/// process of the driver it serves, which the device then treats as an unmappable buffer (it stops until
/// reset). Checking every access, not only at revoke time, is what closes the window where a driver
/// rewrites a descriptor after the kernel looked at it. It also follows each request from pop to end
/// (<see cref="RequestTracker"/>) and keeps the ownership timeline, from which <see cref="DmaReport"/>
/// computes a run's figures.</summary>
public sealed class DmaSupervisor : IDmaMonitor
{
    private readonly Machine.Machine _machine;
    private readonly CapTable _table;
    private readonly Dictionary<string, DmaDevice> _byName;
    private OwnershipMap _map;
    private int _tableVersion = -1, _quarantineVersion = -1;
    private long _sequence;

    public DmaSupervisor(Machine.Machine machine, CapTable table, bool checkAccesses)
    {
        _machine = machine;
        _table = table;
        CheckAccesses = checkAccesses;
        Devices = machine.Bus.Devices.Where(m => m.Device is VirtioMmio).Select(m => new DmaDevice((VirtioMmio)m.Device, m.Address)).ToList();
        _byName = Devices.ToDictionary(d => d.Name);
        Tracker = new RequestTracker(machine.Clock, name => _byName[name].Driver(Current));
        foreach (var d in Devices) d.Slot.Requests = Tracker;
        _map = OwnershipMap.Build(table, [], 0);
        Log.Timeline.Add((machine.Clock.Nanoseconds, _map));
        machine.Bus.DmaMonitor = this;
    }

    /// <summary>Whether accesses are checked against ownership (every policy but none).</summary>
    public bool CheckAccesses { get; }

    public IReadOnlyList<DmaDevice> Devices { get; }
    public RequestTracker Tracker { get; }
    public DmaLog Log { get; } = new();
    public Quarantine Quarantine { get; } = new();
    public VirtualClock Clock => _machine.Clock;

    /// <summary>The bus, for the kernel's own writes to RAM (scrubbing), which no DMA monitor sees.</summary>
    public PhysicalBus Bus => _machine.Bus;

    /// <summary>The ownership in force now; a change of the capability table or the quarantine starts a new
    /// map in the timeline (only when some byte changed owners).</summary>
    public OwnershipMap Current
    {
        get
        {
            if (_table.Version != _tableVersion || Quarantine.Version != _quarantineVersion)
            {
                _tableVersion = _table.Version;
                _quarantineVersion = Quarantine.Version;
                var next = OwnershipMap.Build(_table, Quarantine.Ranges, _map.Version + 1);
                if (!next.SameOwnersAs(_map))
                {
                    _map = next;
                    Log.Timeline.Add((_machine.Clock.Nanoseconds, _map));
                }
            }
            return _map;
        }
    }

    /// <summary>Brings the timeline up to date (the kernel calls this after each system call, so that every
    /// change of ownership is in the timeline at the time it happened, DMA or not).</summary>
    public void Observe() => _ = Current;

    public bool Allow(in DmaAccess access)
    {
        var map = Current;
        var device = _byName.GetValueOrDefault(access.Device);
        var open = access.Request is { } request ? Tracker.Open(access.Device, request) : null;
        OwnerSet driver = open?.Driver ?? device?.Driver(map) ?? OwnerSet.Kernel;
        var pieces = map.Split(access.Address, access.Address + (ulong)access.Length);
        bool allowed = !CheckAccesses || pieces.All(p => !p.Owners.IsForeignTo(driver));
        Log.Entries.Add(new DmaLogEntry(_sequence++, _machine.Clock.Nanoseconds, access.Device, access.Request, open?.Id, access.Address, access.Length,
            access.IsWrite, allowed, driver, pieces, map.Version));
        return allowed;
    }
}
