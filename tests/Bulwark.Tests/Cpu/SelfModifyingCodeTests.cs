using Bulwark.Machine.Cpu;
using Bulwark.Machine.Translation;
using static Bulwark.Tests.Cpu.Asm;
using static Bulwark.Tests.Cpu.CpuFixture;

namespace Bulwark.Tests.Cpu;

/// <summary>Stores over already-executed (hence pre-decoded) instructions. The ISA (Zifencei) only
/// promises that a hart sees its own instruction stores after FENCE.I. This machine promises more:
/// a decoded page is "executed from there until the page is written or fence.i runs"
/// (Interpreter/DecodedPage), i.e. a write alone invalidates it. Both are checked.</summary>
public abstract class SelfModifyingCodeTests(EngineKind engine)
{

    private static readonly uint OldInsn = Addi(10, 10, 1);
    private static readonly uint NewInsn = Addi(10, 10, 100);

    /// <summary>Calls a routine at +0x18 (x10 += 1), overwrites its first instruction with
    /// <paramref name="store"/> (x7 = new word, x6 = page base), runs <paramref name="sync"/>, calls it again.</summary>
    private CpuFixture Program(uint store, uint sync)
    {
        var f = new CpuFixture(writableCode: true, engine: engine);
        f.Load(
            Jal(1, 0x18),           // 0x00: call 0x18
            store,                  // 0x04: overwrite 0x18
            sync,                   // 0x08
            Jal(1, 0x0c),           // 0x0c: call 0x18
            Ecall,                  // 0x10
            Ebreak,                 // 0x14
            OldInsn,                // 0x18
            Jalr(0, 1, 0));         // 0x1c: ret
        f.X[6] = CodeVa;
        f.X[7] = NewInsn;
        return f;
    }

    [Fact]
    public void StoreThenFenceI_ExecutesNewInstruction()
    {
        var f = Program(Sw(7, 6, 0x18), FenceI);
        f.RunToEcall();
        Assert.Equal(101UL, f.X[10]);
        Assert.Equal(CodeVa + 0x10, f.State.Pc);
        Assert.Equal(NewInsn, f.Read32(f.Code, 0x18));
    }

    [Fact]
    public void StoreWithoutFenceI_ExecutesNewInstruction_BecauseTheWriteInvalidatesTheDecodedPage()
    {
        var f = Program(Sw(7, 6, 0x18), Nop);
        f.RunToEcall();
        Assert.Equal(101UL, f.X[10]);
    }

    [Fact]
    public void AmoStoreWithoutFenceI_ExecutesNewInstruction()
    {
        // amoswap.w x0, x7, (x8) with x8 = CodeVa + 0x18.
        var f = Program(AmoOp(F5Swap, false, 0, 8, 7), Nop);
        f.X[8] = CodeVa + 0x18;
        f.RunToEcall();
        Assert.Equal(101UL, f.X[10]);
    }

    [Fact]
    public void StoreWithoutFenceI_SeenAfterTheRunEnds()
    {
        // Stop right after the store; a new engine run must not reuse the stale decode.
        var f = Program(Sw(7, 6, 0x18), Nop);
        Assert.Equal(StopReason.BudgetExhausted, f.Run(budget: 4));   // jal, addi, ret, sw
        Assert.Equal(CodeVa + 8, f.State.Pc);
        f.RunToEcall();
        Assert.Equal(101UL, f.X[10]);
    }

    [Fact]
    public void StoreToAnotherDecodedPage_ThenJumpThere_ExecutesNewInstruction()
    {
        var f = new CpuFixture(engine: engine);
        const ulong other = 0x40000;
        f.MapNew(other, PteFlags.R | PteFlags.W | PteFlags.X | PteFlags.U);
        f.LoadAt(other, OldInsn, Jalr(0, 1, 0));
        f.Load(
            Jalr(1, 6, 0),          // 0x00: call other
            Sw(7, 6, 0),            // 0x04: overwrite it
            Jalr(1, 6, 0),          // 0x08: call again
            Ecall);                 // 0x0c
        f.X[6] = other;
        f.X[7] = NewInsn;
        f.RunToEcall();
        Assert.Equal(101UL, f.X[10]);
    }

    [Fact]
    public void StoreByAnotherHart_IsSeenByTheFirstHartsNextRun()
    {
        var f = new CpuFixture(harts: 2, writableCode: true, engine: engine);
        f.Load(OldInsn, Jal(0, -4));                              // hart 0: loop x10 += 1
        f.LoadAt(CodeVa + 0x100, Sw(7, 6, 0), Ecall);              // hart 1: patch hart 0's loop
        var s1 = f.Machine.Harts[1].State;
        s1.Pc = CodeVa + 0x100;
        s1.X[6] = CodeVa;
        s1.X[7] = NewInsn;
        Assert.Equal(StopReason.BudgetExhausted, f.Run(hart: 0, budget: 4));   // 2 iterations
        Assert.Equal(2UL, f.X[10]);
        f.RunToEcall(hart: 1);
        Assert.Equal(StopReason.BudgetExhausted, f.Run(hart: 0, budget: 4));   // 2 more, patched
        Assert.Equal(202UL, f.X[10]);
    }

    [Fact]
    public void FenceI_WithNoStore_IsHarmless()
    {
        var f = new CpuFixture(engine: engine);
        f.Load(Addi(5, 0, 1), FenceI, Fence, Addi(5, 5, 1), Ecall);
        f.RunToEcall();
        Assert.Equal(2UL, f.X[5]);
    }

    /// <summary>A loop storing data into its own code page (as bare-metal programs whose data shares a page
    /// with their code do) keeps running the same decoded code, then sees a patched instruction: the store
    /// undoes only the slots it touches, and a page written very often is dropped and decoded afresh.</summary>
    [Theory]
    [InlineData(3)]
    [InlineData(DecodedPage.WritesBeforeDrop + 10)]
    public void DataStoresIntoACodePageKeepItRunningAndAPatchIsStillSeen(int iterations)
    {
        var f = new CpuFixture(writableCode: true, engine: engine);
        f.Load(
            Sd(5, 6, 0x100),        // 0x00: data store into the code page, far from any instruction
            Addi(5, 5, 1),          // 0x04
            Bne(5, 8, -8),          // 0x08: loop until x5 == x8
            Sw(7, 6, 0x18),         // 0x0c: patch the instruction at 0x18
            Jal(0, 8),              // 0x10: jump over the ecall
            Ecall,                  // 0x14
            OldInsn,                // 0x18: becomes x10 += 100
            Ecall);                 // 0x1c
        f.X[6] = CodeVa;
        f.X[7] = NewInsn;
        f.X[8] = (ulong)iterations;
        var hart = f.RunToEcall();
        Assert.Equal(CodeVa + 0x1c, hart.State.Pc);
        Assert.Equal(100UL, f.X[10]);
        Assert.Equal((ulong)iterations - 1, BitConverter.ToUInt64(f.Code, 0x100));
    }
}

public sealed class SelfModifyingCodeTestsOnInterpreter() : SelfModifyingCodeTests(EngineKind.Interpreter);

public sealed class SelfModifyingCodeTestsOnJit() : SelfModifyingCodeTests(EngineKind.Jit);
