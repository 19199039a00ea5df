using System.Runtime.CompilerServices;
using Bulwark.Machine.Cpu.Privileged;
using Bulwark.Machine.Translation;

namespace Bulwark.Machine.Cpu;

/// <summary>The pre-decoding interpreter: each instruction slot is decoded once into its page's
/// <see cref="DecodedPage"/> and executed from there until the page is written or fence.i runs.</summary>
public sealed class Interpreter : IExecutionEngine
{
    public StopReason Run(Hart hart, long budget)
    {
        var whole = new WholeRun();
        return Run(hart, budget, ref whole);
    }

    /// <summary>Runs cold code for the block engine: basic blocks, one after another, while
    /// <paramref name="mode"/> says to go on into the next (which it does not for one on another page)
    /// and past each instruction outside the fast switch (at most <paramref name="budget"/>
    /// instructions in all).</summary>
    internal static StopReason RunBlocks<TMode>(Hart hart, long budget, ref TMode mode) where TMode : struct, IRunMode =>
        Run(hart, budget, ref mode);

    /// <summary>Compile-time choice between running to the budget and stopping at blocks' ends; the
    /// JIT specialises <see cref="Run{TMode}"/> for each, so the plain interpreter pays nothing.</summary>
    internal interface IRunMode
    {
        static abstract bool StopAtBlockEnd { get; }

        /// <summary>Whether to go on into the block starting at <paramref name="pc"/> on
        /// <paramref name="page"/> (only asked when <see cref="StopAtBlockEnd"/>).</summary>
        bool GoesOnAt(DecodedPage page, ulong pc);

        /// <summary>Whether to go on after an instruction outside the fast switch (only asked when
        /// <see cref="StopAtBlockEnd"/>).</summary>
        bool GoesOnAfter(Op op);
    }

    private struct WholeRun : IRunMode
    {
        public static bool StopAtBlockEnd => false;
        public readonly bool GoesOnAt(DecodedPage page, ulong pc) => true;
        public readonly bool GoesOnAfter(Op op) => true;
    }

    private static StopReason Run<TMode>(Hart hart, long budget, ref TMode mode) where TMode : struct, IRunMode
    {
        var s = hart.State;
        var x = s.X;
        ulong pc = s.Pc;
        long executed = 0;
        // An instruction that straddles two pages is decoded here each time instead of in a slot.
        DecodedInsn straddling = default;
        hart.Attention = 0;
        try
        {
            while (executed < budget)
            {
                if (hart.Attention != 0)
                {
                    if ((hart.Attention & Hart.AttentionReturn) != 0)
                    {
                        hart.Attention = 0;
                        return StopReason.Yield;
                    }
                    hart.Attention = 0;
                }
                var page = hart.CodePage(pc);
                var slots = page.Slots;
                ulong pageBase = pc & ~0xfffUL;
                do
                {
                    scoped ref DecodedInsn d = ref slots[DecodedPage.SlotOf(pc)];
                    bool straddles = false;
                    if (d.Op == Op.Undecoded)
                    {
                        straddling = hart.DecodeAt(page, pc, out bool cacheable);
                        if (cacheable) d = straddling;
                        else
                        {
                            d = ref straddling;
                            straddles = true;
                        }
                    }
                    ulong npc = pc + d.Length;
                    switch (d.Op)
                    {
                        case Op.Addi: x[d.Rd] = x[d.Rs1] + (ulong)d.Imm; break;
                        case Op.Ld: x[d.Rd] = hart.Load<ulong>(x[d.Rs1] + (ulong)d.Imm); break;
                        case Op.Sd: hart.Store(x[d.Rs1] + (ulong)d.Imm, x[d.Rs2]); break;
                        case Op.Add: x[d.Rd] = x[d.Rs1] + x[d.Rs2]; break;
                        case Op.Beq: if (x[d.Rs1] == x[d.Rs2]) npc = pc + (ulong)d.Imm; break;
                        case Op.Bne: if (x[d.Rs1] != x[d.Rs2]) npc = pc + (ulong)d.Imm; break;
                        case Op.Blt: if ((long)x[d.Rs1] < (long)x[d.Rs2]) npc = pc + (ulong)d.Imm; break;
                        case Op.Bge: if ((long)x[d.Rs1] >= (long)x[d.Rs2]) npc = pc + (ulong)d.Imm; break;
                        case Op.Bltu: if (x[d.Rs1] < x[d.Rs2]) npc = pc + (ulong)d.Imm; break;
                        case Op.Bgeu: if (x[d.Rs1] >= x[d.Rs2]) npc = pc + (ulong)d.Imm; break;
                        case Op.Lui: x[d.Rd] = (ulong)d.Imm; break;
                        case Op.Auipc: x[d.Rd] = pc + (ulong)d.Imm; break;
                        case Op.Jal: x[d.Rd] = npc; npc = pc + (ulong)d.Imm; break;
                        case Op.Jalr:
                        {
                            ulong target = (x[d.Rs1] + (ulong)d.Imm) & ~1UL;
                            x[d.Rd] = npc;
                            npc = target;
                            break;
                        }
                        case Op.Lb: x[d.Rd] = (ulong)(long)hart.Load<sbyte>(x[d.Rs1] + (ulong)d.Imm); break;
                        case Op.Lh: x[d.Rd] = (ulong)(long)hart.Load<short>(x[d.Rs1] + (ulong)d.Imm); break;
                        case Op.Lw: x[d.Rd] = (ulong)(long)hart.Load<int>(x[d.Rs1] + (ulong)d.Imm); break;
                        case Op.Lbu: x[d.Rd] = hart.Load<byte>(x[d.Rs1] + (ulong)d.Imm); break;
                        case Op.Lhu: x[d.Rd] = hart.Load<ushort>(x[d.Rs1] + (ulong)d.Imm); break;
                        case Op.Lwu: x[d.Rd] = hart.Load<uint>(x[d.Rs1] + (ulong)d.Imm); break;
                        case Op.Sb: hart.Store(x[d.Rs1] + (ulong)d.Imm, (byte)x[d.Rs2]); break;
                        case Op.Sh: hart.Store(x[d.Rs1] + (ulong)d.Imm, (ushort)x[d.Rs2]); break;
                        case Op.Sw: hart.Store(x[d.Rs1] + (ulong)d.Imm, (uint)x[d.Rs2]); break;
                        case Op.Slti: x[d.Rd] = (long)x[d.Rs1] < d.Imm ? 1UL : 0; break;
                        case Op.Sltiu: x[d.Rd] = x[d.Rs1] < (ulong)d.Imm ? 1UL : 0; break;
                        case Op.Xori: x[d.Rd] = x[d.Rs1] ^ (ulong)d.Imm; break;
                        case Op.Ori: x[d.Rd] = x[d.Rs1] | (ulong)d.Imm; break;
                        case Op.Andi: x[d.Rd] = x[d.Rs1] & (ulong)d.Imm; break;
                        case Op.Slli: x[d.Rd] = x[d.Rs1] << (int)d.Imm; break;
                        case Op.Srli: x[d.Rd] = x[d.Rs1] >> (int)d.Imm; break;
                        case Op.Srai: x[d.Rd] = (ulong)((long)x[d.Rs1] >> (int)d.Imm); break;
                        case Op.Sub: x[d.Rd] = x[d.Rs1] - x[d.Rs2]; break;
                        case Op.Sll: x[d.Rd] = x[d.Rs1] << (int)x[d.Rs2]; break;
                        case Op.Slt: x[d.Rd] = (long)x[d.Rs1] < (long)x[d.Rs2] ? 1UL : 0; break;
                        case Op.Sltu: x[d.Rd] = x[d.Rs1] < x[d.Rs2] ? 1UL : 0; break;
                        case Op.Xor: x[d.Rd] = x[d.Rs1] ^ x[d.Rs2]; break;
                        case Op.Srl: x[d.Rd] = x[d.Rs1] >> (int)x[d.Rs2]; break;
                        case Op.Sra: x[d.Rd] = (ulong)((long)x[d.Rs1] >> (int)x[d.Rs2]); break;
                        case Op.Or: x[d.Rd] = x[d.Rs1] | x[d.Rs2]; break;
                        case Op.And: x[d.Rd] = x[d.Rs1] & x[d.Rs2]; break;
                        case Op.Addiw: x[d.Rd] = SignExtend32(x[d.Rs1] + (ulong)d.Imm); break;
                        case Op.Slliw: x[d.Rd] = SignExtend32(x[d.Rs1] << (int)d.Imm); break;
                        case Op.Srliw: x[d.Rd] = SignExtend32((uint)x[d.Rs1] >> (int)d.Imm); break;
                        case Op.Sraiw: x[d.Rd] = (ulong)(long)((int)x[d.Rs1] >> (int)d.Imm); break;
                        case Op.Addw: x[d.Rd] = SignExtend32(x[d.Rs1] + x[d.Rs2]); break;
                        case Op.Subw: x[d.Rd] = SignExtend32(x[d.Rs1] - x[d.Rs2]); break;
                        case Op.Sllw: x[d.Rd] = SignExtend32((uint)x[d.Rs1] << (int)(x[d.Rs2] & 31)); break;
                        case Op.Srlw: x[d.Rd] = SignExtend32((uint)x[d.Rs1] >> (int)(x[d.Rs2] & 31)); break;
                        case Op.Sraw: x[d.Rd] = (ulong)(long)((int)x[d.Rs1] >> (int)(x[d.Rs2] & 31)); break;
                        default:
                        {
                            // rdinstret/rdcycle count the reading instruction itself.
                            hart.InFlight = executed + 1;
                            var result = Step(hart, ref d, ref pc, x);
                            if (result != StopReason.BudgetExhausted)
                            {
                                // An ecall counts as retired when its trap is taken; the others completed.
                                if (result != StopReason.Trap) executed++;
                                return result;
                            }
                            executed++;
                            if (TMode.StopAtBlockEnd && !mode.GoesOnAfter(d.Op)) return StopReason.BudgetExhausted;
                            if (hart.Attention != 0) goto refetch;
                            continue;
                        }
                    }
                    pc = npc;
                    executed++;
                    if (TMode.StopAtBlockEnd && d.Op is >= Op.Jal and <= Op.Bgeu &&
                        ((pc & ~0xfffUL) != pageBase || !mode.GoesOnAt(page, pc)))
                        return StopReason.BudgetExhausted;
                    if (straddles) break;
                } while (executed < budget && (pc & ~0xfffUL) == pageBase && hart.Attention == 0);
                if (TMode.StopAtBlockEnd) return StopReason.BudgetExhausted;
            refetch:;
            }
            return StopReason.BudgetExhausted;
        }
        catch (GuestTrapException trap)
        {
            hart.TrapCause = trap.Cause;
            hart.TrapValue = trap.Value;
            return StopReason.Trap;
        }
        finally
        {
            s.Pc = pc;
            hart.InstructionsRetired += (ulong)executed;
            hart.InFlight = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SignExtend32(ulong v) => (ulong)(long)(int)v;

    /// <summary>The less frequent instructions. Advances <paramref name="pc"/> itself; returns
    /// BudgetExhausted to mean "continue".</summary>
    private static StopReason Step(Hart hart, ref DecodedInsn d, ref ulong pc, ulong[] x)
    {
        ulong npc = pc + d.Length;
        var s = hart.State;
        switch (d.Op)
        {
            case Op.Mul: x[d.Rd] = x[d.Rs1] * x[d.Rs2]; break;
            case Op.Mulh: x[d.Rd] = (ulong)Math.BigMul((long)x[d.Rs1], (long)x[d.Rs2], out _); break;
            case Op.Mulhu: x[d.Rd] = Math.BigMul(x[d.Rs1], x[d.Rs2], out _); break;
            case Op.Mulhsu:
            {
                ulong a = x[d.Rs1], b = x[d.Rs2];
                ulong high = Math.BigMul(a, b, out _);
                if ((long)a < 0) high -= b;
                x[d.Rd] = high;
                break;
            }
            case Op.Div: x[d.Rd] = (ulong)SignedDiv((long)x[d.Rs1], (long)x[d.Rs2]); break;
            case Op.Divu: x[d.Rd] = x[d.Rs2] == 0 ? ulong.MaxValue : x[d.Rs1] / x[d.Rs2]; break;
            case Op.Rem: x[d.Rd] = (ulong)SignedRem((long)x[d.Rs1], (long)x[d.Rs2]); break;
            case Op.Remu: x[d.Rd] = x[d.Rs2] == 0 ? x[d.Rs1] : x[d.Rs1] % x[d.Rs2]; break;
            case Op.Mulw: x[d.Rd] = SignExtend32(x[d.Rs1] * x[d.Rs2]); break;
            case Op.Divw: x[d.Rd] = (ulong)SignedDiv((int)x[d.Rs1], (int)x[d.Rs2], int.MinValue); break;
            case Op.Divuw:
            {
                uint a = (uint)x[d.Rs1], b = (uint)x[d.Rs2];
                x[d.Rd] = SignExtend32(b == 0 ? uint.MaxValue : a / b);
                break;
            }
            case Op.Remw: x[d.Rd] = (ulong)SignedRem((int)x[d.Rs1], (int)x[d.Rs2], int.MinValue); break;
            case Op.Remuw:
            {
                uint a = (uint)x[d.Rs1], b = (uint)x[d.Rs2];
                x[d.Rd] = SignExtend32(b == 0 ? a : a % b);
                break;
            }
            case Op.Flw or Op.Fld or Op.Fsw or Op.Fsd or Op.Fp:
                if (!FloatingPoint(hart, in d, x)) return IllegalInstruction(hart, d);
                break;
            case Op.LrW:
            case Op.LrD:
            case Op.ScW:
            case Op.ScD:
                LoadReservedStoreConditional(hart, in d, x);
                break;
            case >= Op.AmoSwapW and <= Op.AmoMaxuD:
                Atomics.Execute(hart, in d, x);
                break;
            case Op.Fence: break;
            case Op.FenceI:
                hart.Machine.InvalidateAllCode();
                break;
            case Op.Ecall:
                return StopReason.Ecall;
            case Op.Ebreak:
                hart.TrapCause = TrapCause.Breakpoint;
                hart.TrapValue = pc;
                return StopReason.Trap;
            case Op.Mret:
                if (hart.Privilege != PrivilegeMode.Machine) return IllegalInstruction(hart, d);
                pc = MachineTraps.Return(hart);
                return StopReason.Yield;
            case Op.Wfi:
                // With S mode on the board (as on QEMU's virt), WFI is illegal in U mode whatever mstatus.TW says.
                if (hart.Privilege != PrivilegeMode.Machine) return IllegalInstruction(hart, d);
                pc = npc;
                return StopReason.Wfi;
            case >= Op.Csrrw and <= Op.Csrrci:
                switch (ControlRegisters.Execute(hart, in d, x))
                {
                    case CsrResult.Illegal: return IllegalInstruction(hart, d);
                    case CsrResult.InterruptsMayChange:
                        pc = npc;
                        return StopReason.Yield;
                }
                break;
            case >= BitManip.First and <= BitManip.Last:
                if (!BitManip.Execute(in d, x)) return IllegalInstruction(hart, d);
                break;
            case Op.Custom:
                if (hart.Machine.CustomUnit is not { } unit || !unit.Execute(hart, in d)) return IllegalInstruction(hart, d);
                break;
            case Op.Illegal:
            default:
                return IllegalInstruction(hart, d);
        }
        pc = npc;
        return StopReason.BudgetExhausted;
    }

    /// <summary>The F and D instructions: illegal while mstatus.FS is off; any of them marks the state dirty
    /// (QEMU's choice; the write is skipped when it already is, as on the Linux platform).</summary>
    internal static bool FloatingPoint(Hart hart, in DecodedInsn d, ulong[] x)
    {
        var csr = hart.Csr;
        ulong status = csr.Mstatus;
        if ((status & MstatusBits.Fs) == 0) return false;
        var s = hart.State;
        switch (d.Op)
        {
            case Op.Flw: s.F[d.Rd] = 0xffffffff00000000UL | hart.Load<uint>(x[d.Rs1] + (ulong)d.Imm); break;
            case Op.Fld: s.F[d.Rd] = hart.Load<ulong>(x[d.Rs1] + (ulong)d.Imm); break;
            case Op.Fsw: hart.Store(x[d.Rs1] + (ulong)d.Imm, (uint)s.F[d.Rs2]); break;
            case Op.Fsd: hart.Store(x[d.Rs1] + (ulong)d.Imm, s.F[d.Rs2]); break;
            default:
                if (!Fpu.Fpu.Execute(s, in d)) return false;
                break;
        }
        if ((status & MstatusBits.FsDirty) != MstatusBits.FsDirty) csr.Mstatus = status | MstatusBits.FsDirty;
        return true;
    }

    private static StopReason IllegalInstruction(Hart hart, in DecodedInsn d)
    {
        hart.TrapCause = TrapCause.IllegalInstruction;
        hart.TrapValue = d.Raw;
        return StopReason.Trap;
    }

    internal static long SignedDiv(long a, long b, long min = long.MinValue) =>
        b == 0 ? -1 : (a == min && b == -1) ? min : a / b;

    internal static long SignedRem(long a, long b, long min = long.MinValue) =>
        b == 0 ? a : (a == min && b == -1) ? 0 : a % b;

    private static void LoadReservedStoreConditional(Hart hart, in DecodedInsn d, ulong[] x)
    {
        ulong va = x[d.Rs1];
        bool word = d.Op is Op.LrW or Op.ScW;
        int size = word ? 4 : 8;
        if ((va & (ulong)(size - 1)) != 0)
            throw new GuestTrapException(d.Op is Op.LrW or Op.LrD ? TrapCause.LoadMisaligned : TrapCause.StoreMisaligned, va);
        var reservations = hart.Machine.Reservations;
        if (d.Op is Op.LrW or Op.LrD)
        {
            uint pfn = hart.FrameFor(va, size, AccessType.Read);
            x[d.Rd] = word ? (ulong)(long)hart.Load<int>(va) : hart.Load<ulong>(va);
            reservations.Reserve(hart, ((ulong)pfn << 12) | (va & 0xfff), size);
            return;
        }
        uint wpfn = hart.FrameFor(va, size, AccessType.Write);
        ulong pa = ((ulong)wpfn << 12) | (va & 0xfff);
        if (reservations.Holds(hart, pa, size))
        {
            if (word) hart.AtomicRef<uint>(va) = (uint)x[d.Rs2];
            else hart.AtomicRef<ulong>(va) = x[d.Rs2];
            x[d.Rd] = 0;
        }
        else x[d.Rd] = 1;
        reservations.Clear(hart);
    }
}
