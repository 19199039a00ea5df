using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <remarks>Compiled optimised at once rather than through .NET's tiers: a method with a loop starts at
    /// tier 0 and, while the host is still compiling its own code, is called for hundreds of milliseconds
    /// before it is optimised, which is most of a short program's run. Measured: the block engine's cold
    /// code ran at 38 to 51 MIPS in the first in-process runs of bzip2 -9 (about 190 later) and 101 with this;
    /// a whole `bulwark run` of bzip2 -9 took 0.90 times the time (`farm-bench`, 11 pairs, [0.82, 0.93]),
    /// of compute.elf 0.98 times ([0.93, 1.01]); the interpreter's in-process time was unchanged (384 and 382
    /// ms against 386 and 388).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static StopReason Run<TMode>(Hart hart, long budget, ref TMode mode) where TMode : struct, IRunMode
    {
        var s = hart.State;
        var x = s.X;
        // The fast switch reads and writes registers without bounds checks: the register file has 33
        // entries (x0 to x31 and the sink for writes to x0, decoded as 32) and register fields are 0 to 32.
        ref ulong x0 = ref MemoryMarshal.GetArrayDataReference(x);
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
                // A slot index is below the page's 2048 slots: read without a bounds check.
                ref DecodedInsn slot0 = ref MemoryMarshal.GetArrayDataReference(page.Slots);
                ulong pageBase = pc & ~0xfffUL;
                do
                {
                    scoped ref DecodedInsn d = ref Unsafe.Add(ref slot0, DecodedPage.SlotOf(pc));
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
                        case Op.Addi: R(ref x0, d.Rd) = R(ref x0, d.Rs1) + (ulong)d.Imm; break;
                        case Op.Ld: R(ref x0, d.Rd) = hart.Load<ulong>(R(ref x0, d.Rs1) + (ulong)d.Imm); break;
                        case Op.Sd: hart.Store(R(ref x0, d.Rs1) + (ulong)d.Imm, R(ref x0, d.Rs2)); break;
                        case Op.Add: R(ref x0, d.Rd) = R(ref x0, d.Rs1) + R(ref x0, d.Rs2); break;
                        case Op.Beq: if (R(ref x0, d.Rs1) == R(ref x0, d.Rs2)) npc = pc + (ulong)d.Imm; break;
                        case Op.Bne: if (R(ref x0, d.Rs1) != R(ref x0, d.Rs2)) npc = pc + (ulong)d.Imm; break;
                        case Op.Blt: if ((long)R(ref x0, d.Rs1) < (long)R(ref x0, d.Rs2)) npc = pc + (ulong)d.Imm; break;
                        case Op.Bge: if ((long)R(ref x0, d.Rs1) >= (long)R(ref x0, d.Rs2)) npc = pc + (ulong)d.Imm; break;
                        case Op.Bltu: if (R(ref x0, d.Rs1) < R(ref x0, d.Rs2)) npc = pc + (ulong)d.Imm; break;
                        case Op.Bgeu: if (R(ref x0, d.Rs1) >= R(ref x0, d.Rs2)) npc = pc + (ulong)d.Imm; break;
                        case Op.Lui: R(ref x0, d.Rd) = (ulong)d.Imm; break;
                        case Op.Auipc: R(ref x0, d.Rd) = pc + (ulong)d.Imm; break;
                        case Op.Jal: R(ref x0, d.Rd) = npc; npc = pc + (ulong)d.Imm; break;
                        case Op.Jalr:
                        {
                            ulong target = (R(ref x0, d.Rs1) + (ulong)d.Imm) & ~1UL;
                            R(ref x0, d.Rd) = npc;
                            npc = target;
                            break;
                        }
                        case Op.Lb: R(ref x0, d.Rd) = (ulong)(long)hart.Load<sbyte>(R(ref x0, d.Rs1) + (ulong)d.Imm); break;
                        case Op.Lh: R(ref x0, d.Rd) = (ulong)(long)hart.Load<short>(R(ref x0, d.Rs1) + (ulong)d.Imm); break;
                        case Op.Lw: R(ref x0, d.Rd) = (ulong)(long)hart.Load<int>(R(ref x0, d.Rs1) + (ulong)d.Imm); break;
                        case Op.Lbu: R(ref x0, d.Rd) = hart.Load<byte>(R(ref x0, d.Rs1) + (ulong)d.Imm); break;
                        case Op.Lhu: R(ref x0, d.Rd) = hart.Load<ushort>(R(ref x0, d.Rs1) + (ulong)d.Imm); break;
                        case Op.Lwu: R(ref x0, d.Rd) = hart.Load<uint>(R(ref x0, d.Rs1) + (ulong)d.Imm); break;
                        case Op.Sb: hart.Store(R(ref x0, d.Rs1) + (ulong)d.Imm, (byte)R(ref x0, d.Rs2)); break;
                        case Op.Sh: hart.Store(R(ref x0, d.Rs1) + (ulong)d.Imm, (ushort)R(ref x0, d.Rs2)); break;
                        case Op.Sw: hart.Store(R(ref x0, d.Rs1) + (ulong)d.Imm, (uint)R(ref x0, d.Rs2)); break;
                        case Op.Slti: R(ref x0, d.Rd) = (long)R(ref x0, d.Rs1) < d.Imm ? 1UL : 0; break;
                        case Op.Sltiu: R(ref x0, d.Rd) = R(ref x0, d.Rs1) < (ulong)d.Imm ? 1UL : 0; break;
                        case Op.Xori: R(ref x0, d.Rd) = R(ref x0, d.Rs1) ^ (ulong)d.Imm; break;
                        case Op.Ori: R(ref x0, d.Rd) = R(ref x0, d.Rs1) | (ulong)(long)d.Imm; break;
                        case Op.Andi: R(ref x0, d.Rd) = R(ref x0, d.Rs1) & (ulong)d.Imm; break;
                        case Op.Slli: R(ref x0, d.Rd) = R(ref x0, d.Rs1) << (int)d.Imm; break;
                        case Op.Srli: R(ref x0, d.Rd) = R(ref x0, d.Rs1) >> (int)d.Imm; break;
                        case Op.Srai: R(ref x0, d.Rd) = (ulong)((long)R(ref x0, d.Rs1) >> (int)d.Imm); break;
                        case Op.Sub: R(ref x0, d.Rd) = R(ref x0, d.Rs1) - R(ref x0, d.Rs2); break;
                        case Op.Sll: R(ref x0, d.Rd) = R(ref x0, d.Rs1) << (int)R(ref x0, d.Rs2); break;
                        case Op.Slt: R(ref x0, d.Rd) = (long)R(ref x0, d.Rs1) < (long)R(ref x0, d.Rs2) ? 1UL : 0; break;
                        case Op.Sltu: R(ref x0, d.Rd) = R(ref x0, d.Rs1) < R(ref x0, d.Rs2) ? 1UL : 0; break;
                        case Op.Xor: R(ref x0, d.Rd) = R(ref x0, d.Rs1) ^ R(ref x0, d.Rs2); break;
                        case Op.Srl: R(ref x0, d.Rd) = R(ref x0, d.Rs1) >> (int)R(ref x0, d.Rs2); break;
                        case Op.Sra: R(ref x0, d.Rd) = (ulong)((long)R(ref x0, d.Rs1) >> (int)R(ref x0, d.Rs2)); break;
                        case Op.Or: R(ref x0, d.Rd) = R(ref x0, d.Rs1) | R(ref x0, d.Rs2); break;
                        case Op.And: R(ref x0, d.Rd) = R(ref x0, d.Rs1) & R(ref x0, d.Rs2); break;
                        case Op.Addiw: R(ref x0, d.Rd) = SignExtend32(R(ref x0, d.Rs1) + (ulong)d.Imm); break;
                        case Op.Slliw: R(ref x0, d.Rd) = SignExtend32(R(ref x0, d.Rs1) << (int)d.Imm); break;
                        case Op.Srliw: R(ref x0, d.Rd) = SignExtend32((uint)R(ref x0, d.Rs1) >> (int)d.Imm); break;
                        case Op.Sraiw: R(ref x0, d.Rd) = (ulong)(long)((int)R(ref x0, d.Rs1) >> (int)d.Imm); break;
                        case Op.Addw: R(ref x0, d.Rd) = SignExtend32(R(ref x0, d.Rs1) + R(ref x0, d.Rs2)); break;
                        case Op.Subw: R(ref x0, d.Rd) = SignExtend32(R(ref x0, d.Rs1) - R(ref x0, d.Rs2)); break;
                        case Op.Sllw: R(ref x0, d.Rd) = SignExtend32((uint)R(ref x0, d.Rs1) << (int)(R(ref x0, d.Rs2) & 31)); break;
                        case Op.Srlw: R(ref x0, d.Rd) = SignExtend32((uint)R(ref x0, d.Rs1) >> (int)(R(ref x0, d.Rs2) & 31)); break;
                        case Op.Sraw: R(ref x0, d.Rd) = (ulong)(long)((int)R(ref x0, d.Rs1) >> (int)(R(ref x0, d.Rs2) & 31)); break;
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

    /// <summary>Register <paramref name="r"/> of the register file starting at <paramref name="x0"/>, unchecked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref ulong R(ref ulong x0, int r) => ref Unsafe.Add(ref x0, r);

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
