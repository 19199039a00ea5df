using Bulwark.Machine.Cpu;
using Bulwark.Machine.Cpu.Jit;
using Bulwark.Machine.Translation;
using MachineT = Bulwark.Machine.Machine;

namespace Bulwark.Tests.Cpu;

/// <summary>A bare machine for running instruction snippets in user mode, with no kernel. One Sv39
/// page table, shared by all harts, maps:
/// <list type="bullet">
/// <item><see cref="CodeVa"/>: code, R|X (R|W|X with <c>writableCode</c>);</item>
/// <item><see cref="DataVa"/>: data, R|W; the page after it (<see cref="UnmappedVa"/>) is left unmapped;</item>
/// <item><see cref="Data2Va"/> and the page after it: two adjacent R|W pages backed by separate frames;</item>
/// <item><see cref="ReadOnlyVa"/>: data, R only.</item>
/// </list>
/// Snippets end with an ecall; <see cref="RunToEcall"/> runs a hart until it stops there.</summary>
public sealed class CpuFixture
{
    public const ulong CodeVa = 0x10000;
    public const ulong DataVa = 0x20000;
    public const ulong UnmappedVa = 0x21000;
    public const ulong Data2Va = 0x22000;
    public const ulong ReadOnlyVa = 0x30000;
    public const int PageSize = 4096;

    /// <param name="engine">With <see cref="EngineKind.Jit"/>, every block is compiled on its first
    /// entry, so that a snippet runs as compiled code.</param>
    public CpuFixture(int harts = 1, bool writableCode = false, EngineKind engine = EngineKind.Interpreter)
    {
        Machine = MachineT.ForUserPrograms(harts, 1 << 20);
        Machine.Engine = engine == EngineKind.Jit ? new BlockEngine(threshold: 1) : new Interpreter();
        PageTable = new Sv39PageTable(Machine.Memory);
        CodePfn = MapNew(CodeVa, writableCode ? PteFlags.R | PteFlags.W | PteFlags.X | PteFlags.U : PteFlags.R | PteFlags.X | PteFlags.U);
        DataPfn = MapNew(DataVa, PteFlags.R | PteFlags.W | PteFlags.U);
        Data2Pfn = MapNew(Data2Va, PteFlags.R | PteFlags.W | PteFlags.U);
        Data3Pfn = MapNew(Data2Va + PageSize, PteFlags.R | PteFlags.W | PteFlags.U);
        ReadOnlyPfn = MapNew(ReadOnlyVa, PteFlags.R | PteFlags.U);
        foreach (var hart in Machine.Harts)
        {
            hart.Translator = PageTable;
            hart.State.Pc = CodeVa;
        }
    }

    public MachineT Machine { get; }
    public Sv39PageTable PageTable { get; }
    public uint CodePfn { get; }
    public uint DataPfn { get; }
    public uint Data2Pfn { get; }
    public uint Data3Pfn { get; }
    public uint ReadOnlyPfn { get; }

    public Hart Hart0 => Machine.Harts[0];
    public HartState State => Hart0.State;
    public ulong[] X => Hart0.State.X;

    public byte[] Code => Machine.Memory.Frame(CodePfn);
    public byte[] Data => Machine.Memory.Frame(DataPfn);
    public byte[] ReadOnly => Machine.Memory.Frame(ReadOnlyPfn);

    /// <summary>Allocates a fresh zeroed frame and maps it at <paramref name="va"/>.</summary>
    public uint MapNew(ulong va, PteFlags flags)
    {
        uint pfn = Machine.Memory.Allocate();
        Assert.NotEqual(0u, pfn);
        Assert.True(PageTable.Map(va, pfn, flags));
        return pfn;
    }

    /// <summary>The frame mapped at <paramref name="va"/> (which must be mapped).</summary>
    public byte[] FrameAt(ulong va)
    {
        ulong pte = PageTable.GetLeaf(va);
        Assert.NotEqual(0UL, pte);
        return Machine.Memory.Frame(Sv39PageTable.PfnOf(pte));
    }

    /// <summary>Writes 32-bit instruction words starting at <see cref="CodeVa"/>.</summary>
    public CpuFixture Load(params uint[] words) => LoadAt(CodeVa, words);

    public CpuFixture LoadAt(ulong va, params uint[] words)
    {
        var frame = FrameAt(va);
        int o = (int)(va & (PageSize - 1));
        foreach (uint w in words)
        {
            BitConverter.TryWriteBytes(frame.AsSpan(o, 4), w);
            o += 4;
        }
        return this;
    }

    /// <summary>Writes a mixed stream: a <see cref="ushort"/> is a 2-byte (compressed) parcel, a
    /// <see cref="uint"/> a 4-byte instruction. May cross into the next mapped page.</summary>
    public CpuFixture Emit(ulong va, params object[] parcels)
    {
        foreach (var p in parcels)
        {
            switch (p)
            {
                case ushort h:
                    WriteBytes(va, BitConverter.GetBytes(h));
                    va += 2;
                    break;
                case uint w:
                    WriteBytes(va, BitConverter.GetBytes(w));
                    va += 4;
                    break;
                default:
                    throw new ArgumentException($"parcel {p} is neither ushort nor uint");
            }
        }
        return this;
    }

    private void WriteBytes(ulong va, byte[] bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            ulong a = va + (ulong)i;
            FrameAt(a)[(int)(a & (PageSize - 1))] = bytes[i];
        }
    }

    public ulong Read64(byte[] frame, int offset) => BitConverter.ToUInt64(frame, offset);
    public uint Read32(byte[] frame, int offset) => BitConverter.ToUInt32(frame, offset);
    public void Write64(byte[] frame, int offset, ulong v) => BitConverter.TryWriteBytes(frame.AsSpan(offset, 8), v);
    public void Write32(byte[] frame, int offset, uint v) => BitConverter.TryWriteBytes(frame.AsSpan(offset, 4), v);

    /// <summary>One engine run of a hart.</summary>
    public StopReason Run(int hart = 0, long budget = 100_000) => Machine.Engine.Run(Machine.Harts[hart], budget);

    /// <summary>Runs until the hart stops; fails unless it stopped at an ecall.</summary>
    public Hart RunToEcall(int hart = 0, long budget = 100_000)
    {
        var h = Machine.Harts[hart];
        var stop = Run(hart, budget);
        Assert.True(stop == StopReason.Ecall,
            $"expected an ecall, got {stop} (cause {h.TrapCause}, value 0x{h.TrapValue:x}) at pc 0x{h.State.Pc:x}");
        return h;
    }

    /// <summary>Runs until the hart stops; fails unless it trapped with <paramref name="cause"/>.</summary>
    public Hart RunToTrap(TrapCause cause, int hart = 0, long budget = 100_000)
    {
        var h = Machine.Harts[hart];
        var stop = Run(hart, budget);
        Assert.True(stop == StopReason.Trap, $"expected a trap ({cause}), got {stop} at pc 0x{h.State.Pc:x}");
        Assert.Equal(cause, h.TrapCause);
        return h;
    }

    /// <summary>Runs <c>insn; ecall</c> with x1 = <paramref name="a"/>, x2 = <paramref name="b"/> and
    /// returns x3 (the instruction is expected to write x3).</summary>
    public static ulong Binary(uint insn, ulong a, ulong b, EngineKind engine = EngineKind.Interpreter)
    {
        var f = new CpuFixture(engine: engine);
        f.Load(insn, Asm.Ecall);
        f.X[1] = a;
        f.X[2] = b;
        f.X[3] = 0xdead_beef_dead_beef;
        f.RunToEcall();
        Assert.Equal(CodeVa + 4, f.State.Pc);
        Assert.Equal(a, f.X[1]);
        Assert.Equal(b, f.X[2]);
        return f.X[3];
    }

    /// <summary>Runs <c>insn; ecall</c> with x1 = <paramref name="a"/> and returns x3.</summary>
    public static ulong Unary(uint insn, ulong a, EngineKind engine = EngineKind.Interpreter) => Binary(insn, a, 0, engine);
}
