using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Signals;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Passwords;
using Process = Bulwark.Kernel.Processes.Process;

namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>Failed checks: the table mode's refresh-and-retry, SIGSEGV with the documented si_code and
/// si_addr, blame, and the throttle's delay.</summary>
public sealed partial class SharedSegments
{
    /// <summary>Handles a trap of a thread on <paramref name="hart"/> if it is the protection's: a password
    /// trap, or a fault at a shared-part address (a prober's miss). False: not ours.</summary>
    public bool HandleTrap(GuestThread thread, Hart hart, TrapCause cause, ulong value)
    {
        switch (cause)
        {
            case TrapCause.PasswordStale:
                if (!Refresh(thread, hart.FarFaultRegister))
                    Fail(thread, SegvCodes.Revoked, value, "password revoked", thread.Process.Uid, blamed: false);
                return true;
            case TrapCause.PasswordFault:
                Fail(thread, SegvCodes.PasswordMismatch, value, "password check failed", thread.Process.Uid, blamed: false);
                return true;
            case TrapCause.PointerVerifyFault:
            {
                uint? writer = BlameForPointer(thread, hart.FarFaultSource, hart.FarFaultRegister);
                Fail(thread, SegvCodes.BadPointer, value, $"bad pointer read at 0x{hart.FarFaultSource:x}", writer, blamed: writer != thread.Process.Uid);
                return true;
            }
            case TrapCause.LoadPageFault or TrapCause.StorePageFault or TrapCause.InstructionPageFault
                or TrapCause.LoadAccessFault or TrapCause.StoreAccessFault or TrapCause.InstructionAccessFault
                when SharedLayout.InReserved(value):
                Stats.SharedFaults++;
                // SEGV_MAPERR, as for any unmapped address: a miss tells the prober nothing more.
                Punish(thread, 1, value, "fault in the shared part", thread.Process.Uid, blamed: false, check: false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Table mode, a stale shadow: the kernel checks the process's grants, and refreshes every
    /// register whose slot it still holds. True when the faulting register was refreshed (retry).</summary>
    private bool Refresh(GuestThread thread, int faulting)
    {
        var registers = thread.Registers.P;
        bool retry = false;
        for (int i = 0; i < registers.Length; i++)
        {
            ref var pr = ref registers[i];
            if (!SharedLayout.TryDecodeSlot(pr.Value.Lo, out int id, out var kind)) continue;
            var current = Password128.Zero;
            if (Find(id) is { Far: not null } segment && (segment.GrantOf(thread.Process.Pid) & kind.Allows()) == kind.Allows())
                current = segment.PasswordOf(kind);
            if (current.IsZero || current == pr.Shadow) continue;
            pr.Shadow = current;
            Stats.Refreshes++;
            if (i == faulting) retry = true;
        }
        return retry;
    }

    /// <summary>The seed's blame rule for a bad pointer read from a shared page: if this process can only
    /// read that page, someone else wrote it, and the word's writer (tagged by the far store that wrote
    /// it) is blamed; otherwise the reader's own user is. Null: nobody can be named.</summary>
    private uint? BlameForPointer(GuestThread thread, ulong source, int register)
    {
        var segment = Far?.Find(source);
        if (segment == null) return thread.Process.Uid;
        ref var pr = ref thread.Registers.P[register];
        var password = Mode == SharedProtectionMode.Password ? pr.Value : pr.Shadow;
        if (password != segment.Read || password == segment.ReadWrite) return thread.Process.Uid;
        uint tag = segment.WriterTags[(source - segment.Base) >> 3];
        return tag != 0 ? tag : null;
    }

    /// <summary>Fallback: the guest library found a far access to a page of another id
    /// (<paramref name="what"/> 0) or a pointer read through a far pointer leading elsewhere (1).
    /// Delivers the same SIGSEGV the password unit would.</summary>
    public long Report(GuestThread thread, ulong address, ulong source, int what)
    {
        if (Mode != SharedProtectionMode.Fallback || what is not (0 or 1)) return -Errno.EINVAL;
        Stats.LibraryChecksFailed++;
        var regs = thread.Registers;
        regs.X[10] = unchecked((ulong)-Errno.EFAULT);
        regs.Pc += 4;
        if (what == 0) Fail(thread, SegvCodes.PasswordMismatch, address, "page-id check failed", thread.Process.Uid, blamed: false);
        else
        {
            uint? writer = BlameInFallback(thread.Process, source);
            Fail(thread, SegvCodes.BadPointer, address, $"bad pointer read at 0x{source:x}", writer, blamed: writer != thread.Process.Uid);
        }
        return Syscalls.SyscallResult.NoReturnValue;
    }

    /// <summary>Without hardware the writer of a word is unknown: if the reader maps the page read-only,
    /// the reader is cleared and the blame goes to the one other user who ever held write access, if
    /// there is exactly one (else to nobody).</summary>
    private uint? BlameInFallback(Process reader, ulong source)
    {
        var area = reader.AddressSpace.Find(source);
        if (area?.Backing == null || !_byBacking.TryGetValue(area.Backing, out var segment)) return reader.Uid;
        if ((area.Protection & Memory.Protection.Write) != 0) return reader.Uid;
        var others = segment.Writers.Where(uid => uid != reader.Uid).ToList();
        return others.Count == 1 ? others[0] : null;
    }

    private void Fail(GuestThread thread, int code, ulong address, string what, uint? blamedUid, bool blamed) =>
        Punish(thread, code, address, what, blamedUid, blamed, check: true);

    /// <summary>SIGSEGV for the thread, the fault counted against <paramref name="blamedUid"/>, and that
    /// user's delay: served by the faulting thread if it is the blamed user's, else by the blamed
    /// user's threads.</summary>
    private void Punish(GuestThread thread, int code, ulong address, string what, uint? blamedUid, bool blamed, bool check)
    {
        if (check) Stats.CheckSignals++;
        ulong delay = blamedUid is { } uid ? Throttle.Fault(uid, _kernel.NowNs, blamed) : 0;
        _kernel.DeliverFault(thread, Signal.SIGSEGV, code, address, $"SIGSEGV ({what} at address 0x{address:x}) at pc=0x{thread.Registers.Pc:x}");
        if (delay == 0) return;
        ulong until = _kernel.NowNs + delay;
        if (blamedUid == thread.Process.Uid) _kernel.Penalize(thread, until);
        else
            foreach (var share in _processes.Values)
                if (share.Process.Uid == blamedUid)
                    foreach (var t in share.Process.Threads) _kernel.Penalize(t, until);
    }
}
