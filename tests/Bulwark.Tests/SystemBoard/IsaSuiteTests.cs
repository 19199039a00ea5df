using Bulwark.Machine.Cpu;
using Bulwark.Machine.Platforms;
using Bulwark.Machine.Platforms.QemuVirt;
using Bulwark.Machine.Scheduling;
using Bulwark.Tests.Corpora;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.SystemBoard;

/// <summary>The RISC-V ISA conformance suite (riscv-tests, built from ../shared/oracles) on the system
/// board: every rv64{ui,um,ua,uf,ud,uc,uzba,uzbb,uzbs,mi} physical-memory test passes, reported through
/// HTIF as Spike and QEMU report it. The rv64si and -v- tests need S mode, which Bulwark does not have.</summary>
public sealed class IsaSuiteTests
{
    public static TheoryData<string, EngineKind> Tests => Engines.Cross(Corpus.IsaTestNames());

    /// <summary>Under the block engine every block is compiled on its first entry: a test case's code
    /// mostly runs once.</summary>
    private static BoardResult Run(string elf, EngineKind engine)
    {
        var board = new QemuVirtBoard(new QemuVirtOptions { Engine = engine, JitThreshold = 1, JitCompile = JitCompilation.Inline });
        board.Load([elf]);
        return board.Run(new ArchitecturalTraps(), new RandomStrategy(0), new BoardTiming { MaxTimeNs = 1_000_000_000 });
    }

    [Theory]
    [MemberData(nameof(Tests))]
    public void Passes(string test, EngineKind engine)
    {
        var result = Run(Path.Combine(Corpus.IsaDirectory, test), engine);
        Assert.True(result.ExitStatus == 0, $"{test}: status {result.ExitStatus}: {result.Message}");
    }

    /// <summary>Negative control: rv64ui-p-add with its `add a4,a1,a2` turned into `sub` must be reported
    /// as failing test case 3 (1 + 1 = 2; test case 2 adds zeros, where sub agrees).</summary>
    [Theory]
    [InlineData(EngineKind.Interpreter)]
    [InlineData(EngineKind.Jit)]
    public void ABrokenInstructionIsReportedAsTheFailingTestCase(EngineKind engine)
    {
        byte[] elf = File.ReadAllBytes(Path.Combine(Corpus.IsaDirectory, "rv64ui-p-add"));
        int patched = Replace(elf, 0x00c58733u, 0x40c58733u);
        Assert.True(patched >= 2, $"expected the add in test cases 2 and 3, patched {patched}");
        string copy = Path.Combine(Path.GetTempPath(), $"bulwark-broken-add-{Guid.NewGuid():N}");
        File.WriteAllBytes(copy, elf);
        var result = Run(copy, engine);
        Assert.Equal(1, result.ExitStatus);
        Assert.Equal("FAIL: test case 3 (tohost = 0x7)", result.Message);
    }

    private static int Replace(byte[] bytes, uint from, uint to)
    {
        int count = 0;
        for (int i = 0; i + 4 <= bytes.Length; i += 4)
        {
            if (BitConverter.ToUInt32(bytes, i) != from) continue;
            BitConverter.GetBytes(to).CopyTo(bytes, i);
            count++;
        }
        return count;
    }
}
