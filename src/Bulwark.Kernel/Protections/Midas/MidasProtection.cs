using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Processes;
using Bulwark.Kernel.UserAccess;
using Bulwark.Machine.Memory;
using Bulwark.Machine.Translation;

namespace Bulwark.Kernel.Protections.Midas;

/// <summary>Midas-style TOCTTOU protection. During a system call, the first kernel read of a user page
/// write-protects its frame everywhere it is mapped and keeps that frame as the call's snapshot; later
/// reads of the page by the call read the snapshot. A write to a protected frame (by any hart or
/// process, or by the kernel for another call) gives the writers a new version of the page, mapped
/// in place of the old one, so no write is lost and no snapshot changes. Exempt calls read live memory.</summary>
public sealed class MidasProtection : DirectUserAccess
{
    private const int PageSize = PhysicalMemory.PageSize;

    private readonly FrameMappings _mappings;
    private readonly PhysicalMemory _memory;
    /// <summary>Frames held as snapshots, with how many calls hold each.</summary>
    private readonly Dictionary<uint, int> _holders = [];
    /// <summary>Held frames that no user maps any more (old versions).</summary>
    private readonly HashSet<uint> _oldVersions = [];
    private long _privateCopies;

    public MidasProtection(FrameMappings mappings)
    {
        _mappings = mappings;
        _memory = mappings.Memory;
        mappings.ResolveProtectedWrite = ResolveWriteFault;
    }

    public MidasStats Stats { get; } = new();

    /// <summary>A call's view of one user page: the frame it snapshotted, or its own copy once the
    /// kernel wrote to the page during the call while the frame was shared with other readers.</summary>
    /// <summary>A thread's current call: whether it is protected, and its snapshots by user page
    /// (the table is reused from call to call).</summary>
    private sealed class CallState
    {
        public bool Protected;
        public readonly Dictionary<ulong, Snapshot> Pages = [];
    }

    private struct Snapshot(uint frame)
    {
        public uint Frame = frame;
        public byte[]? Copy;
    }

    public override void SyscallEntered(GuestThread thread, int number)
    {
        var call = thread.UserAccessState as CallState ?? new CallState();
        thread.UserAccessState = call;
        call.Protected = !ExemptSyscalls.IsExempt(number);
    }

    public override void SyscallEnded(GuestThread thread)
    {
        if (thread.UserAccessState is not CallState { Protected: true } call) return;
        call.Protected = false;
        if (call.Pages.Count == 0) return;
        foreach (var snapshot in call.Pages.Values)
        {
            if (snapshot.Copy != null) _privateCopies--;
            else Unhold(snapshot.Frame);
        }
        call.Pages.Clear();
    }

    private static Dictionary<ulong, Snapshot>? ProtectedPages(GuestThread thread) =>
        thread.UserAccessState is CallState { Protected: true } call ? call.Pages : null;

    public override bool Read(GuestThread thread, ulong address, Span<byte> destination, string site)
    {
        if (ProtectedPages(thread) is not { } pages) return base.Read(thread, address, destination, site);
        var space = thread.Process.AddressSpace;
        while (destination.Length > 0)
        {
            ulong page = address & ~(ulong)(PageSize - 1);
            int offset = (int)(address - page);
            int n = Math.Min(destination.Length, PageSize - offset);
            ref var snapshot = ref CollectionsMarshal.GetValueRefOrAddDefault(pages, page, out bool exists);
            if (!exists)
            {
                uint frame = space.FrameFor(address, AccessType.Read);
                if (frame == 0)
                {
                    pages.Remove(page);
                    return false;
                }
                snapshot = new Snapshot(frame);
                Hold(frame);
            }
            var source = snapshot.Copy ?? _memory.Frame(snapshot.Frame);
            source.AsSpan(offset, n).CopyTo(destination);
            destination = destination[n..];
            address += (ulong)n;
        }
        return true;
    }

    public override bool Write(GuestThread thread, ulong address, ReadOnlySpan<byte> source, string site)
    {
        if (ProtectedPages(thread) is not { } pages) return base.Write(thread, address, source, site);
        var space = thread.Process.AddressSpace;
        while (source.Length > 0)
        {
            ulong page = address & ~(ulong)(PageSize - 1);
            int offset = (int)(address - page);
            int n = Math.Min(source.Length, PageSize - offset);
            ref var snapshot = ref CollectionsMarshal.GetValueRefOrNullRef(pages, page);
            bool owned = !Unsafe.IsNullRef(ref snapshot);
            uint live = LiveFrameForKernelWrite(space, address, owned ? snapshot : null);
            if (live == 0) return false;
            _memory.BeforeWrite(live, offset, n);
            source[..n].CopyTo(_memory.Frame(live).AsSpan(offset));
            // The call's own later reads must see what it wrote.
            if (owned && (snapshot.Copy != null || snapshot.Frame != live))
            {
                MakePrivate(ref snapshot);
                source[..n].CopyTo(snapshot.Copy.AsSpan(offset));
            }
            source = source[n..];
            address += (ulong)n;
        }
        return true;
    }

    /// <summary>The user-visible frame a kernel write goes to. A frame snapshotted only by this call is
    /// written in place (user and call both see the write); one snapshotted by others gets a new version.</summary>
    private uint LiveFrameForKernelWrite(AddressSpace space, ulong address, Snapshot? own)
    {
        ulong pte = space.PageTable.GetLeaf(address & ~(ulong)(PageSize - 1));
        uint frame = Sv39PageTable.PfnOf(pte);
        bool marked = (pte & (ulong)PteFlags.V) != 0 && (pte & (ulong)FrameMappings.Marked) != 0;
        if (!marked || !_holders.TryGetValue(frame, out int holders)) return space.FrameFor(address, AccessType.Write);
        if ((space.Find(address)?.Protection & Protection.Write) == 0) return 0;
        Stats.WriteFaults++;
        bool onlyThisCall = holders == 1 && own is { Copy: null } o && o.Frame == frame;
        return onlyThisCall ? frame : NewVersion(frame);
    }

    /// <summary>The MMU write-fault path: a user store (or a kernel write outside a call) hit a protected frame.</summary>
    private bool ResolveWriteFault(AddressSpace space, ulong va)
    {
        ulong pte = space.PageTable.GetLeaf(va & ~(ulong)(PageSize - 1));
        if ((pte & (ulong)PteFlags.V) == 0 || (pte & (ulong)FrameMappings.Marked) == 0) return false;
        uint frame = Sv39PageTable.PfnOf(pte);
        Stats.WriteFaults++;
        if (_holders.ContainsKey(frame)) NewVersion(frame);
        else _mappings.Unprotect(frame);
        return true;
    }

    /// <summary>Copies <paramref name="old"/> into a new frame that replaces it in every user mapping.</summary>
    private uint NewVersion(uint old)
    {
        uint fresh = _memory.Allocate();
        if (fresh == 0) throw new GuestOutOfMemoryException();
        _memory.Frame(old).CopyTo(_memory.Frame(fresh), 0);
        _mappings.Replace(old, fresh);
        // The mappings (and a shared-memory slot) now hold the new frame; the allocation's own reference goes.
        _memory.Release(fresh);
        _oldVersions.Add(old);
        Stats.VersionsCreated++;
        Stats.BytesCopied += PageSize;
        NoteExtraMemory();
        return fresh;
    }

    private void MakePrivate(ref Snapshot snapshot)
    {
        if (snapshot.Copy != null) return;
        snapshot.Copy = (byte[])_memory.Frame(snapshot.Frame).Clone();
        Stats.BytesCopied += PageSize;
        _privateCopies++;
        Unhold(snapshot.Frame);
        NoteExtraMemory();
    }

    private void Hold(uint frame)
    {
        _memory.AddRef(frame);
        int holders = _holders.GetValueOrDefault(frame);
        _holders[frame] = holders + 1;
        if (holders == 0)
        {
            _mappings.WriteProtect(frame);
            Stats.PagesProtected++;
        }
    }

    private void Unhold(uint frame)
    {
        int holders = _holders[frame] - 1;
        if (holders > 0) _holders[frame] = holders;
        else
        {
            _holders.Remove(frame);
            _oldVersions.Remove(frame);
            _mappings.Unprotect(frame);
        }
        _memory.Release(frame);
    }

    private void NoteExtraMemory()
    {
        long extra = (_oldVersions.Count + _privateCopies) * PageSize;
        if (extra > Stats.PeakExtraBytes) Stats.PeakExtraBytes = extra;
    }
}
