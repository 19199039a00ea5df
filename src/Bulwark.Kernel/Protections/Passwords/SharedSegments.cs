using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Processes;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Passwords;
using Bulwark.Machine.Scheduling;
using Process = Bulwark.Kernel.Processes.Process;

namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>The shared part of every address space and what protects it (issue 14): segments at one
/// address in every process, created, granted, attached, revoked and destroyed through the private
/// system calls (Syscalls/SegmentSyscalls.cs), protected as <see cref="Mode"/> says. Also the kernel's
/// side of each protection: the password unit's segment table and passwords, the canonical sections,
/// the fallback's page-id maps, and the throttle (SharedSegments.Faults.cs).</summary>
public sealed partial class SharedSegments
{
    /// <summary>A segment is at most 1 GiB; one guard page separates neighbours.</summary>
    public const ulong MaxSegmentBytes = 1UL << 30;
    private const ulong Guard = AddressSpace.PageSize;
    private const ulong EntropySalt = 0x5e9_3e47_f00d_cafeUL;

    private readonly KernelCore _kernel;
    private readonly SplitMix64 _random;
    private readonly SortedDictionary<int, Segment> _segments = [];
    private readonly Dictionary<SharedMemory, Segment> _byBacking = [];
    private readonly SortedDictionary<int, ProcessShare> _processes = [];
    private int _nextId = 1;
    private ulong _nextBase = SharedLayout.SharedBase;
    private uint _zeroPfn;

    /// <summary>What the kernel keeps per process.</summary>
    private sealed class ProcessShare(Process process)
    {
        public Process Process { get; } = process;
        public CanonicalSection Section { get; set; } = new();
        public PageIdMap? Map { get; set; }
    }

    public SharedSegments(KernelCore kernel, SharedProtectionMode mode, int addressBits, bool throttling)
    {
        if (addressBits is < SharedLayout.MinAddressBits or > SharedLayout.MaxAddressBits)
            throw new ArgumentOutOfRangeException(nameof(addressBits), $"the shared part's address bits must be {SharedLayout.MinAddressBits} to {SharedLayout.MaxAddressBits}");
        _kernel = kernel;
        Mode = mode;
        AddressBits = addressBits;
        Throttle = new BruteForceThrottle(throttling);
        // Passwords and aliases come from the run's seed, on a stream of their own, so that turning a
        // protection on does not change the random bytes the guest sees (getrandom, AT_RANDOM).
        _random = new SplitMix64(kernel.Options.Seed ^ EntropySalt);
        if (SharedProtectionModes.UsesPasswordUnit(mode))
        {
            Far = new FarMemory();
            Unit = new PasswordUnit(Far, mode == SharedProtectionMode.Password ? PasswordMode.Password : PasswordMode.Table);
        }
    }

    public SharedProtectionMode Mode { get; }
    /// <summary>Statistical mode: aliases are placed among 2^AddressBits bytes of the shared part.</summary>
    public int AddressBits { get; }
    public FarMemory? Far { get; }
    public PasswordUnit? Unit { get; }
    public BruteForceThrottle Throttle { get; }
    public PasswordStats Stats { get; } = new();
    public IReadOnlyCollection<Segment> Segments => _segments.Values;

    public Segment? Find(int id) => _segments.GetValueOrDefault(id);

    /// <summary>The page-id map of a live process (fallback mode), or null.</summary>
    public PageIdMap? PageIdMapOf(Process process) => _processes.GetValueOrDefault(process.Pid)?.Map;

    /// <summary>The canonical section of a live process (what its slots hold), or null.</summary>
    public CanonicalSection? SectionOf(Process process) => _processes.GetValueOrDefault(process.Pid)?.Section;

    // ---- process life cycle ----

    public void OnProcessCreated(Process process)
    {
        process.AddressSpace.Reserved = (SharedLayout.ReservedStart, SharedLayout.ReservedEnd);
        var share = new ProcessShare(process);
        _processes[process.Pid] = share;
        if (Mode == SharedProtectionMode.Fallback) share.Map = new PageIdMap(process.AddressSpace, ZeroFrame());
    }

    /// <summary>A forked child inherits its parent's grants (as it inherits its mappings and registers).</summary>
    public void OnFork(Process parent, Process child)
    {
        OnProcessCreated(child);
        var share = _processes[child.Pid];
        if (_processes.TryGetValue(parent.Pid, out var parentShare)) share.Section = parentShare.Section.Clone();
        foreach (var segment in _segments.Values)
            if (segment.Grants.TryGetValue(parent.Pid, out var rights)) segment.Grants[child.Pid] = rights;
        if (share.Map != null)
        {
            foreach (var segment in _segments.Values) SyncMap(share, segment);
            _kernel.Machine.ShootDownTlbs();
        }
    }

    /// <summary>Before the address space goes: grants end, the page-id map is dropped. Segments stay
    /// until destroyed, even when their creator exits.</summary>
    public void OnExit(Process process)
    {
        foreach (var segment in _segments.Values) segment.Grants.Remove(process.Pid);
        if (_processes.Remove(process.Pid, out var share)) share.Map?.Clear();
    }

    /// <summary>A thread of <paramref name="thread"/>'s process goes on <paramref name="hart"/>.</summary>
    public void OnPlaced(Hart hart, GuestThread thread)
    {
        hart.UserTag = thread.Process.Uid;
        hart.PasswordSection = Mode == SharedProtectionMode.PasswordTable ? _processes.GetValueOrDefault(thread.Process.Pid)?.Section : null;
    }

    /// <summary>A read of the page-id map that found nothing mapped: the zero frame goes there.</summary>
    public bool TryResolveFault(Process process, ulong va, Machine.Translation.AccessType access) =>
        access == Machine.Translation.AccessType.Read && SharedLayout.InPageIdMap(va)
        && _processes.GetValueOrDefault(process.Pid)?.Map is { } map && map.TryFaultIn(va);

    private uint ZeroFrame()
    {
        if (_zeroPfn == 0)
        {
            _zeroPfn = _kernel.Machine.Memory.Allocate();
            if (_zeroPfn == 0) throw new GuestOutOfMemoryException();
        }
        return _zeroPfn;
    }

    // ---- the system calls ----

    public long Create(Process caller, ulong bytes, Rights rights, out ulong address)
    {
        address = 0;
        if (bytes == 0 || bytes > MaxSegmentBytes || (rights & ~Rights.All) != 0 || (rights & Rights.Read) == 0) return -Errno.EINVAL;
        ulong pages = AddressSpace.PageUp(bytes) / AddressSpace.PageSize;
        var backing = new SharedMemory(_kernel.FrameMappings, pages);
        // The segment holds its frames itself, so they outlive every mapping of them.
        backing.Attach();
        var frames = new uint[pages];
        for (ulong i = 0; i < pages; i++)
        {
            frames[i] = backing.FrameAt(i);
            if (frames[i] == 0)
            {
                backing.Detach();
                return -Errno.ENOMEM;
            }
        }
        var segment = new Segment(_nextId, caller.Pid, caller.Uid, pages, rights, backing);
        if (!Place(segment))
        {
            backing.Detach();
            return -Errno.ENOMEM;
        }
        _nextId++;
        _segments[segment.Id] = segment;
        _byBacking[backing] = segment;
        Stats.SegmentsCreated++;
        // "Mapped read-write for its creator", whatever it will grant others.
        segment.Grants[caller.Pid] = Rights.Read | Rights.Write | (rights & Rights.Execute);
        segment.Writers.Add(caller.Uid);
        switch (Mode)
        {
            case SharedProtectionMode.None:
                foreach (var share in _processes.Values) MapIn(share.Process.AddressSpace, segment.Base, segment, Protection.Read | Protection.Write);
                break;
            case SharedProtectionMode.Statistical:
                foreach (var share in _processes.Values) MapAliases(share.Process.AddressSpace, segment);
                break;
            case SharedProtectionMode.Password or SharedProtectionMode.PasswordTable:
                segment.Far = new FarSegment(segment.Base, frames) { Read = NewPassword(), ReadWrite = NewPassword(), Execute = NewPassword() };
                Far!.Add(segment.Far);
                FillSlots(_processes[caller.Pid], segment);
                break;
            case SharedProtectionMode.Fallback:
                MapIn(caller.AddressSpace, segment.Base, segment, Protection.Read | Protection.Write);
                SyncMap(_processes[caller.Pid], segment);
                break;
        }
        _kernel.Machine.ShootDownTlbs();
        address = Mode == SharedProtectionMode.Statistical ? segment.ReadWriteAlias : segment.Base;
        return segment.Id;
    }

    public long Grant(Process caller, int id, int pid, Rights rights)
    {
        if (Find(id) is not { } segment) return -Errno.ENOENT;
        if (!_processes.TryGetValue(pid, out var target)) return -Errno.ESRCH;
        if (rights == Rights.None || (rights & ~Rights.All) != 0) return -Errno.EINVAL;
        if ((rights & Rights.Write) != 0) rights |= Rights.Read;
        if ((rights & ~(segment.Rights | Rights.Read)) != 0) return -Errno.EINVAL;
        if (caller.Pid != segment.OwnerPid && (rights & ~segment.GrantOf(caller.Pid)) != 0) return -Errno.EPERM;
        segment.Grants[pid] = segment.GrantOf(pid) | rights;
        if ((rights & Rights.Write) != 0) segment.Writers.Add(target.Process.Uid);
        if (Mode == SharedProtectionMode.PasswordTable) FillSlots(target, segment);
        return 0;
    }

    public long Attach(Process caller, int id, out ulong address)
    {
        address = 0;
        if (Find(id) is not { } segment) return -Errno.ENOENT;
        var rights = segment.GrantOf(caller.Pid);
        if (Mode != SharedProtectionMode.None && rights == Rights.None) return -Errno.EACCES;
        switch (Mode)
        {
            case SharedProtectionMode.Statistical:
                if ((rights & (Rights.Read | Rights.Write)) == 0) return -Errno.EACCES;
                address = (rights & Rights.Write) != 0 ? segment.ReadWriteAlias : segment.ReadOnlyAlias;
                return 0;
            case SharedProtectionMode.Fallback:
                var protection = ((rights & Rights.Read) != 0 ? Protection.Read : 0) | ((rights & Rights.Write) != 0 ? Protection.Write : 0)
                    | ((rights & Rights.Execute) != 0 ? Protection.Exec : 0);
                MapIn(caller.AddressSpace, segment.Base, segment, protection);
                SyncMap(_processes[caller.Pid], segment);
                _kernel.Machine.ShootDownTlbs();
                break;
        }
        address = segment.Base;
        return 0;
    }

    public long Revoke(Process caller, int id, int pid)
    {
        if (Find(id) is not { } segment) return -Errno.ENOENT;
        if (caller.Pid != segment.OwnerPid) return -Errno.EPERM;
        if (pid == segment.OwnerPid) return -Errno.EINVAL;
        if (!segment.Grants.Remove(pid, out var held)) return -Errno.ESRCH;
        switch (Mode)
        {
            case SharedProtectionMode.Statistical:
                // Knowing an address is the permission: the only revocation is to move the aliases.
                foreach (var share in _processes.Values) UnmapAliases(share.Process.AddressSpace, segment);
                segment.ReadWriteAlias = segment.ReadOnlyAlias = 0;
                if (!PlaceAliases(segment)) throw new GuestOutOfMemoryException();
                foreach (var share in _processes.Values) MapAliases(share.Process.AddressSpace, segment);
                Stats.Rotations++;
                break;
            case SharedProtectionMode.Password or SharedProtectionMode.PasswordTable:
                Rotate(segment, held);
                if (_processes.TryGetValue(pid, out var revoked)) ClearSlots(revoked, segment);
                break;
            case SharedProtectionMode.Fallback:
                if (_processes.TryGetValue(pid, out var victim))
                {
                    victim.Process.AddressSpace.Unmap(segment.Base, segment.Base + segment.Bytes);
                    SyncMap(victim, segment);
                }
                break;
        }
        _kernel.Machine.ShootDownTlbs();
        return 0;
    }

    public long Destroy(Process caller, int id)
    {
        if (Find(id) is not { } segment) return -Errno.ENOENT;
        if (caller.Pid != segment.OwnerPid) return -Errno.EPERM;
        foreach (var share in _processes.Values)
        {
            var space = share.Process.AddressSpace;
            if (Mode == SharedProtectionMode.Statistical) UnmapAliases(space, segment);
            else if (Mode is SharedProtectionMode.None or SharedProtectionMode.Fallback) space.Unmap(segment.Base, segment.Base + segment.Bytes);
            ClearSlots(share, segment);
        }
        _segments.Remove(id);
        if (segment.Far != null) Far!.Remove(segment.Far);
        foreach (var share in _processes.Values) if (share.Map != null) SyncMap(share, segment);
        _byBacking.Remove(segment.Backing);
        segment.Grants.Clear();
        segment.Backing.Detach();
        _kernel.Machine.ShootDownTlbs();
        return 0;
    }

    /// <summary>pwd_get: the value a far pointer carries for <paramref name="rights"/>.</summary>
    public long Get(Process caller, int id, Rights rights, out Password128 value)
    {
        value = Password128.Zero;
        if (Find(id) is not { } segment) return -Errno.ENOENT;
        if (!rights.TryKind(out var kind)) return -Errno.EINVAL;
        if ((rights & Rights.Write) != 0) rights |= Rights.Read;
        if (Mode != SharedProtectionMode.None && (rights & ~segment.GrantOf(caller.Pid)) != 0) return -Errno.EACCES;
        value = Mode switch
        {
            SharedProtectionMode.Password => segment.PasswordOf(kind),
            SharedProtectionMode.PasswordTable => new Password128(SharedLayout.SlotAddress(segment.Id, kind), 0),
            SharedProtectionMode.Fallback => new Password128((ulong)segment.Id, 0),
            _ => Password128.Zero,
        };
        return 0;
    }

    // ---- placement and mappings ----

    private bool Place(Segment segment)
    {
        if (Mode == SharedProtectionMode.Statistical) return PlaceAliases(segment);
        if (_nextBase + segment.Bytes > SharedLayout.SharedEnd) return false;
        segment.Base = _nextBase;
        _nextBase += segment.Bytes + Guard;
        return true;
    }

    /// <summary>Two sparse random places among the first 2^AddressBits bytes of the shared part, apart
    /// from every other alias by at least a guard page.</summary>
    private bool PlaceAliases(Segment segment)
    {
        ulong slots = 1UL << (AddressBits - 12);
        if (segment.Pages * 2 + 2 > slots) return false;
        for (int alias = 0; alias < 2; alias++)
        {
            ulong chosen = 0;
            for (int attempt = 0; attempt < 4096 && chosen == 0; attempt++)
            {
                ulong page = _random.Next() % (slots - segment.Pages + 1);
                ulong start = SharedLayout.SharedBase + page * AddressSpace.PageSize;
                if (!_segments.Values.Any(s => s != segment && s.Overlaps(start, start + segment.Bytes, Guard))
                    && !segment.Overlaps(start, start + segment.Bytes, Guard))
                    chosen = start;
            }
            if (chosen == 0) return false;
            if (alias == 0) segment.ReadWriteAlias = chosen;
            else segment.ReadOnlyAlias = chosen;
        }
        return true;
    }

    private void MapIn(AddressSpace space, ulong at, Segment segment, Protection protection) =>
        space.MapShared(at, at + segment.Bytes, protection, segment.Backing, $"[segment {segment.Id}]");

    private void MapAliases(AddressSpace space, Segment segment)
    {
        MapIn(space, segment.ReadWriteAlias, segment, Protection.Read | Protection.Write);
        MapIn(space, segment.ReadOnlyAlias, segment, Protection.Read);
    }

    private static void UnmapAliases(AddressSpace space, Segment segment)
    {
        space.Unmap(segment.ReadWriteAlias, segment.ReadWriteAlias + segment.Bytes);
        space.Unmap(segment.ReadOnlyAlias, segment.ReadOnlyAlias + segment.Bytes);
    }

    /// <summary>Makes the process's page-id map say, for every page of the segment's range, whether an
    /// area of that segment is mapped there (the caller shoots down the TLBs).</summary>
    private void SyncMap(ProcessShare share, Segment segment)
    {
        if (share.Map is not { } map || segment.Base == 0) return;
        var space = share.Process.AddressSpace;
        bool live = _segments.ContainsKey(segment.Id);
        for (ulong va = segment.Base; va < segment.Base + segment.Bytes; va += AddressSpace.PageSize)
            map.Set(va, live && space.Find(va)?.Backing == segment.Backing ? (uint)segment.Id : 0);
    }

    /// <summary>After munmap of [start, end): the page-id map follows every segment range it touched.</summary>
    public void AfterUnmap(Process process, ulong start, ulong end)
    {
        if (!_processes.TryGetValue(process.Pid, out var share) || share.Map == null) return;
        foreach (var segment in _segments.Values)
            if (segment.Base < end && start < segment.Base + segment.Bytes) SyncMap(share, segment);
        _kernel.Machine.ShootDownTlbs();
    }

    // ---- passwords ----

    private Password128 NewPassword()
    {
        while (true)
        {
            var p = new Password128(_random.Next(), _random.Next());
            if (!p.IsZero) return p;
        }
    }

    private static IEnumerable<PasswordKind> KindsOf(Rights rights)
    {
        if ((rights & (Rights.Read | Rights.Write)) != 0) yield return PasswordKind.Read;
        if ((rights & Rights.Write) != 0) yield return PasswordKind.ReadWrite;
        if ((rights & Rights.Execute) != 0) yield return PasswordKind.Execute;
    }

    /// <summary>Table mode: puts the segment's current passwords in the slots of the kinds the process holds.</summary>
    private void FillSlots(ProcessShare share, Segment segment)
    {
        if (Mode != SharedProtectionMode.PasswordTable) return;
        foreach (var kind in KindsOf(segment.GrantOf(share.Process.Pid)))
            share.Section.Set(SharedLayout.SlotAddress(segment.Id, kind), segment.PasswordOf(kind));
    }

    private static void ClearSlots(ProcessShare share, Segment segment)
    {
        foreach (var kind in KindsOf(Rights.All)) share.Section.Clear(SharedLayout.SlotAddress(segment.Id, kind));
    }

    /// <summary>Revocation: new passwords for the kinds the revoked process held. In table mode every
    /// remaining holder's slot gets the new one at once, so its registers are merely stale (refreshed on
    /// their next check); in password mode the other holders must ask pwd_get again.</summary>
    private void Rotate(Segment segment, Rights held)
    {
        var far = segment.Far!;
        foreach (var kind in KindsOf(held))
        {
            var fresh = NewPassword();
            switch (kind)
            {
                case PasswordKind.Read: far.Read = fresh; break;
                case PasswordKind.ReadWrite: far.ReadWrite = fresh; break;
                default: far.Execute = fresh; break;
            }
            Stats.Rotations++;
        }
        foreach (var share in _processes.Values) FillSlots(share, segment);
    }
}
