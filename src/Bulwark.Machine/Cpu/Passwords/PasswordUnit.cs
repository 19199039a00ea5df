using System.Runtime.CompilerServices;

namespace Bulwark.Machine.Cpu.Passwords;

/// <summary>Executes the password instructions (see <see cref="PasswordDecoder"/>) as the machine's
/// custom-instruction extension. Every far access finds its segment in <see cref="FarMemory"/>, checks
/// the register's password for the access kind, and only then touches the segment's frame: the shared
/// part is in no page table, so a near access there faults as unmapped. Failed checks raise the unit's
/// own trap causes (<see cref="TrapCause.PasswordFault"/>, <see cref="TrapCause.PasswordStale"/>,
/// <see cref="TrapCause.PointerVerifyFault"/>) with <see cref="Hart.FarFaultRegister"/> and
/// <see cref="Hart.FarFaultSource"/> telling the kernel which register and which source word.</summary>
public sealed class PasswordUnit(FarMemory memory, PasswordMode mode) : ICustomInstructionUnit
{
    public FarMemory Memory { get; } = memory;
    public PasswordMode Mode { get; } = mode;

    public bool Execute(Hart hart, in DecodedInsn d)
    {
        var s = hart.State;
        var x = s.X;
        var op = (PwdOp)d.Sub;
        if (op == PwdOp.None || d.Rs3 >= PasswordRegister.Count) return false;
        ulong va = x[d.Rs1] + (ulong)d.Imm;
        switch (op)
        {
            case PwdOp.FarLb: x[d.Rd] = (ulong)(long)(sbyte)FarLoad(hart, d.Rs3, va, 1); break;
            case PwdOp.FarLh: x[d.Rd] = (ulong)(long)(short)FarLoad(hart, d.Rs3, va, 2); break;
            case PwdOp.FarLw: x[d.Rd] = (ulong)(long)(int)FarLoad(hart, d.Rs3, va, 4); break;
            case PwdOp.FarLd: x[d.Rd] = FarLoad(hart, d.Rs3, va, 8); break;
            case PwdOp.FarLbu: x[d.Rd] = (byte)FarLoad(hart, d.Rs3, va, 1); break;
            case PwdOp.FarLhu: x[d.Rd] = (ushort)FarLoad(hart, d.Rs3, va, 2); break;
            case PwdOp.FarLwu: x[d.Rd] = (uint)FarLoad(hart, d.Rs3, va, 4); break;
            case PwdOp.LoadPv:
            {
                ulong pointer = FarLoad(hart, d.Rs3, va, 8);
                // A null pointer is a valid "no link" in a pointer-linked structure; anything else must
                // lead into a page that the same password opens.
                if (pointer != 0 && !Matches(Memory.Find(pointer), in Effective(s, d.Rs3)))
                {
                    hart.FarFaultSource = va;
                    Fail(hart, d.Rs3, pointer, TrapCause.PointerVerifyFault);
                }
                x[d.Rd] = pointer;
                break;
            }
            case PwdOp.FarSb: FarStore(hart, d.Rs3, va, 1, x[d.Rs2]); break;
            case PwdOp.FarSh: FarStore(hart, d.Rs3, va, 2, x[d.Rs2]); break;
            case PwdOp.FarSw: FarStore(hart, d.Rs3, va, 4, x[d.Rs2]); break;
            case PwdOp.FarSd: FarStore(hart, d.Rs3, va, 8, x[d.Rs2]); break;
            case PwdOp.StorePv:
            {
                if (d.Rm >= PasswordRegister.Count) return false;
                // The stored near pointer keeps no password: it must be one the destination's password opens.
                if (Effective(s, d.Rs3) != Effective(s, d.Rm) || Effective(s, d.Rs3).IsZero)
                {
                    hart.FarFaultSource = va;
                    if (Mode == PasswordMode.Table && IsStale(hart, d.Rm)) Fail(hart, d.Rm, va, TrapCause.PasswordFault);
                    Fail(hart, d.Rs3, va, TrapCause.PasswordFault);
                }
                FarStore(hart, d.Rs3, va, 8, x[d.Rs2]);
                break;
            }
            case PwdOp.LoadPwd:
            {
                ref var pr = ref s.P[d.Rs3];
                ulong lo = hart.Load<ulong>(va), hi = hart.Load<ulong>(va + 8);
                if (Mode == PasswordMode.Password) pr.Value = new Password128(lo, hi);
                else
                {
                    // Only the slot address is the user's; the password comes from the kernel's section.
                    pr.Value = new Password128(lo, 0);
                    pr.Shadow = hart.PasswordSection?.Read(lo) ?? Password128.Zero;
                }
                break;
            }
            case PwdOp.StorePwd:
            {
                var value = s.P[d.Rs3].Value;
                hart.Store(va, value.Lo);
                hart.Store(va + 8, value.Hi);
                break;
            }
            case PwdOp.VerifyP:
            {
                ulong pointer = x[d.Rs1];
                bool ok = Matches(Memory.Find(pointer), in Effective(s, d.Rs3));
                // In table mode a "no" from a stale shadow would be a lie: let the kernel refresh first.
                if (!ok && Mode == PasswordMode.Table && IsStale(hart, d.Rs3)) Fail(hart, d.Rs3, pointer, TrapCause.PasswordFault);
                x[d.Rd] = ok ? 1UL : 0;
                break;
            }
            default:
                return false;
        }
        return true;
    }

    private static bool Matches(FarSegment? segment, in Password128 password) => segment != null && segment.Matches(password);

    /// <summary>The password a check uses: the register's value, or its shadow in table mode.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref readonly Password128 Effective(HartState s, int register) =>
        ref (Mode == PasswordMode.Password ? ref s.P[register].Value : ref s.P[register].Shadow);

    private bool IsStale(Hart hart, int register)
    {
        ref var pr = ref hart.State.P[register];
        return hart.PasswordSection is { } section && section.Read(pr.Value.Lo) != pr.Shadow;
    }

    /// <summary>Raises a failed check. In table mode a shadow that differs from its slot is reported as
    /// stale, so the kernel can refresh it and retry (or refuse if the grant is gone).</summary>
    private void Fail(Hart hart, int register, ulong value, TrapCause cause)
    {
        Memory.ChecksFailed++;
        hart.FarFaultRegister = register;
        if (Mode == PasswordMode.Table && IsStale(hart, register)) cause = TrapCause.PasswordStale;
        throw new GuestTrapException(cause, value);
    }

    private FarSegment Check(Hart hart, int register, ulong va, bool write)
    {
        var segment = Memory.Find(va);
        ref readonly var password = ref Effective(hart.State, register);
        if (segment == null || !(write ? segment.AllowsWrite(password) : segment.AllowsRead(password)))
        {
            hart.FarFaultSource = va;
            Fail(hart, register, va, TrapCause.PasswordFault);
        }
        return segment!;
    }

    private ulong FarLoad(Hart hart, int register, ulong va, int size)
    {
        Memory.FarAccesses++;
        var frames = hart.Machine.Memory;
        ulong value = 0;
        // A far access may cross into the next page (even the next segment): each page is checked.
        for (int done = 0; done < size;)
        {
            ulong a = va + (ulong)done;
            var segment = Check(hart, register, a, write: false);
            int offset = (int)(a & 0xfff);
            int n = Math.Min(size - done, 4096 - offset);
            var frame = frames.Frame(segment.Frames[(a - segment.Base) >> 12]);
            for (int k = 0; k < n; k++) value |= (ulong)frame[offset + k] << (8 * (done + k));
            done += n;
        }
        return value;
    }

    private void FarStore(Hart hart, int register, ulong va, int size, ulong value)
    {
        Memory.FarAccesses++;
        // Check every page before writing any, so a failed check leaves memory untouched.
        Check(hart, register, va, write: true);
        if (((va & 0xfff) + (ulong)size) > 4096) Check(hart, register, (va + (ulong)size - 1) & ~0xfffUL, write: true);
        var frames = hart.Machine.Memory;
        for (int done = 0; done < size;)
        {
            ulong a = va + (ulong)done;
            var segment = Memory.Find(a)!;
            int offset = (int)(a & 0xfff);
            int n = Math.Min(size - done, 4096 - offset);
            uint pfn = segment.Frames[(a - segment.Base) >> 12];
            frames.BeforeWrite(pfn, offset, n);
            var frame = frames.Frame(pfn);
            for (int k = 0; k < n; k++) frame[offset + k] = (byte)(value >> (8 * (done + k)));
            segment.WriterTags[(a - segment.Base) >> 3] = hart.UserTag;
            if (n > 1) segment.WriterTags[(a + (ulong)n - 1 - segment.Base) >> 3] = hart.UserTag;
            done += n;
        }
    }
}
