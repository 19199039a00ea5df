using System.Reflection;
using System.Reflection.Emit;

namespace Bulwark.Machine.Cpu.Jit;

/// <summary>Compiles a region of one page's code to a <see cref="DynamicMethod"/>: the instructions
/// reachable from the region's entry through fall-through, branches and direct jumps that stay in the
/// page, up to <see cref="MaxLength"/>. Jumps and branches inside the region are IL branches, so loops
/// run inside one call; a jump, branch or jalr leaving it goes on into the next compiled block if there is
/// one (chaining: see <see cref="RegionExits"/>), else returns the pc to go on from, as does an instruction
/// the region does not hold (system, atomic, CSR, custom). F and D instructions are in, run by
/// the interpreter's code. Each basic block checks on entry that the budget covers all of it, and
/// takes it; an early exit gives back what did not run, and so does the engine for a fault (which throws
/// out of the region: see <see cref="FaultSites"/>).</summary>
internal static class BlockCompiler
{
    /// <summary>Larger regions cost more to compile (20 to 30 µs per guest instruction, measured: see
    /// the README's performance section) than they are likely to win, and RyuJIT stops optimising
    /// methods past a few thousand IL instructions.</summary>
    public const int MaxLength = 128;

    /// <summary>A region reaching another region's entry goes on into that region's code (copying it)
    /// only if the two together hold at most this many instructions. An interpreter's opcode handler
    /// that jumps back to its dispatch code then runs both in one call: the Lua guest took 0.88 times
    /// the time (in-process, 7 rounds interleaved); 64 timed the same as 32.</summary>
    public const int AbsorbLimit = 32;

    /// <summary>The instructions of the region entered at <paramref name="entry"/>, by pc (empty if the
    /// first is not compilable). Decodes slots on the way, as the interpreter would on reaching them.
    /// A branch's or jump's destination is followed only if it is warm (entered <paramref name="warm"/>
    /// times, or compiled already), so cold paths stay out and cost no compile time: reaching one leaves
    /// the region, and it gets its own region if it gets hot. Reaching another region's entry leaves too
    /// (unless both are small, see <see cref="AbsorbLimit"/>).
    /// <paramref name="continuation"/> is where the first path cut short by the length limit or the page's
    /// end goes on (<see cref="CompiledBlock.NoContinuation"/> if none): the region's caller runs it as
    /// often as the region, so it is hot when reached from it.</summary>
    public static SortedList<ulong, DecodedInsn> Scan(Hart hart, DecodedPage page, PageBlocks blocks, ulong entry, int warm, out ulong continuation)
    {
        continuation = CompiledBlock.NoContinuation;
        var found = new SortedList<ulong, DecodedInsn>();
        var pending = new Stack<ulong>();
        pending.Push(entry);
        ulong pageBase = entry & ~0xfffUL;
        while (pending.Count > 0 && found.Count < MaxLength)
        {
            ulong pc = pending.Pop();
            while (found.Count < MaxLength && (pc & ~0xfffUL) == pageBase && !found.ContainsKey(pc))
            {
                ref var slot = ref page.Slots[DecodedPage.SlotOf(pc)];
                if (slot.Op == Op.Undecoded)
                {
                    var decoded = hart.DecodeAt(page, pc, out bool cacheable);
                    // An instruction straddling two pages is not cached, so nothing would invalidate it.
                    if (!cacheable) break;
                    slot = decoded;
                }
                var insn = slot;
                if (!Compilable(insn.Op)) break;
                // Another region's way in: leave for it rather than compile its code again (regions
                // overlapped heavily without this: on lz4 -12 it halved the time spent compiling), unless
                // both are small: then copying saves a trip through the engine (see AbsorbLimit).
                if (pc != entry && blocks.Compiled[DecodedPage.SlotOf(pc)] is { } other && other.Pc == pc &&
                    found.Count + other.RegionLength > AbsorbLimit) break;
                found.Add(pc, insn);
                if (insn.Op is Op.Jalr) break;
                if (insn.Op is >= Op.Jal and <= Op.Bgeu && HasRun(blocks, pageBase, pc + (ulong)insn.Imm, warm)) pending.Push(pc + (ulong)insn.Imm);
                if (insn.Op is Op.Jal) break;
                pc += insn.Length;
                if (insn.Op is >= Op.Beq and <= Op.Bgeu && !HasRun(blocks, pageBase, pc, warm)) break;
                if (continuation == CompiledBlock.NoContinuation && !found.ContainsKey(pc) &&
                    (found.Count >= MaxLength || (pc & ~0xfffUL) != pageBase))
                    continuation = pc;
            }
        }
        return found;
    }

    /// <summary>Whether the block at <paramref name="pc"/> has been entered at least <paramref name="warm"/>
    /// times (or is compiled already).</summary>
    private static bool HasRun(PageBlocks blocks, ulong pageBase, ulong pc, int warm)
    {
        if ((pc & ~0xfffUL) != pageBase) return false;
        int slot = DecodedPage.SlotOf(pc);
        return blocks.Entries[slot] >= warm || blocks.Compiled[slot] != null;
    }

    /// <summary>Whether a region can hold the instruction.</summary>
    public static bool Compilable(Op op) => op is >= Op.Lui and <= Op.Remuw or >= Op.Flw and <= Op.Fp;

    /// <summary>Compiles the region (scanned with <paramref name="warm"/>); every basic block in it becomes an entry.</summary>
    public static CompiledRegion Compile(ulong entry, SortedList<ulong, DecodedInsn> region, ulong continuation, int warm)
    {
        var method = new DynamicMethod($"block_{entry:x}", typeof(ulong),
            [typeof(RegionLinks), typeof(Hart), typeof(ulong).MakeByRefType(), typeof(long).MakeByRefType(), typeof(int)], typeof(BlockCompiler).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var plan = new RegionPlan(entry, region);
        var emitter = new Emitter(il, plan);
        emitter.Prologue();
        // Instructions are laid out in pc order; a switch on the entry argument finds the entry's block.
        var leaders = Enumerable.Range(0, plan.Count).Where(i => plan.Leader[i]).ToList();
        emitter.SwitchToEntry(leaders);
        for (int i = 0; i < plan.Count; i++) emitter.Emit(i);
        emitter.EmitExits();
        var links = new RegionLinks(emitter.LinkCount);
        var code = method.CreateDelegate<BlockCode>(links);
        var sites = new FaultSites(plan.Pcs, plan.GiveBack);
        var entries = leaders.Select((i, n) => new CompiledBlock(plan.Pcs[i], n, plan.GiveBack[i], code, continuation, warm, plan.Count, sites, links)).ToList();
        return new CompiledRegion(entries, plan.Count, il.ILOffset);
    }

    /// <summary>Makes RyuJIT compile the region's code now, so that its time is counted where it is
    /// spent: with no budget the region returns at its first block's budget check, having read and written
    /// only the scratch register file given to it (and not the hart, which may be running on another thread).</summary>
    public static void ForceJit(CompiledRegion region)
    {
        var entry = region.Entries[0];
        Span<ulong> scratch = stackalloc ulong[32];
        long none = 0;
        entry.Code(null!, ref scratch[0], ref none, entry.Entry);
    }

    /// <summary>A region laid out for emission: its instructions in pc order, which of them start a basic
    /// block (the entry, a branch or jump target, the instruction after a branch), and for each the
    /// number of instructions from it to the end of its basic block (what a fault there gives back).</summary>
    private sealed class RegionPlan
    {
        public readonly ulong[] Pcs;
        public readonly DecodedInsn[] Insns;
        public readonly bool[] Leader;
        public readonly int[] GiveBack;
        public readonly Dictionary<ulong, int> IndexOf = [];

        public RegionPlan(ulong entry, SortedList<ulong, DecodedInsn> region)
        {
            Pcs = [.. region.Keys];
            Insns = [.. region.Values];
            for (int i = 0; i < Pcs.Length; i++) IndexOf[Pcs[i]] = i;
            Leader = new bool[Pcs.Length];
            Leader[IndexOf[entry]] = true;
            for (int i = 0; i < Pcs.Length; i++)
            {
                var d = Insns[i];
                if (d.Op is >= Op.Jal and <= Op.Bgeu && d.Op != Op.Jalr && IndexOf.TryGetValue(Pcs[i] + (ulong)d.Imm, out int target)) Leader[target] = true;
                if (d.Op is >= Op.Beq and <= Op.Bgeu && i + 1 < Pcs.Length) Leader[i + 1] = true;
                // An instruction not reached by falling through starts a block (it is some jump's target).
                if (i > 0 && Pcs[i - 1] + Insns[i - 1].Length != Pcs[i]) Leader[i] = true;
            }
            GiveBack = new int[Pcs.Length];
            for (int i = Pcs.Length - 1; i >= 0; i--)
                GiveBack[i] = EndsBlock(i) ? 1 : GiveBack[i + 1] + 1;
        }

        public int Count => Pcs.Length;

        public ulong Next(int i) => Pcs[i] + Insns[i].Length;

        /// <summary>Whether instruction i+1 in pc order follows i by falling through.</summary>
        public bool FallsInto(int i) => i + 1 < Pcs.Length && Pcs[i + 1] == Next(i);

        /// <summary>Whether the basic block ends with instruction i.</summary>
        public bool EndsBlock(int i) =>
            Insns[i].Op is >= Op.Jal and <= Op.Bgeu || !FallsInto(i) || Leader[i + 1];
    }

    /// <summary>Emits a region's IL. Guest registers live in IL locals (which RyuJIT keeps in host
    /// registers) within a basic block: a register is loaded from the register file where the block first
    /// reads it, and the registers written are stored back before each load, store or F/D instruction
    /// (which call <see cref="BlockRuntime"/>) and at the block's end. So every exit, and a fault thrown out
    /// of the region by a call, finds the register file current, and no local is live across a call or
    /// from one block into the next: RyuJIT need not save them around calls (regions ran 0.92 to 0.95
    /// times the time of keeping every register in a local for the whole region on Lua; the others within
    /// noise). The call passes its instruction's index and the budget (see <see cref="Hart.SlowAccessSite"/>).
    /// A check after every access instead cost RyuJIT about 40% of its time compiling a region
    /// (measured: see the README's engine section).</summary>
    private sealed class Emitter
    {
        private readonly ILGenerator il;
        private readonly RegionPlan _plan;
        /// <summary>The label of each basic block's budget check, by instruction index (leaders only).</summary>
        private readonly Label[] _blockStart;
        private readonly LocalBuilder?[] _reg = new LocalBuilder?[32];
        /// <summary>The registers written since the last <see cref="Flush"/>, while emitting a basic block.</summary>
        private readonly List<int> _dirty = [];
        /// <summary>Which locals hold their register's value at this point of emitting a basic block.</summary>
        private readonly bool[] _loaded = new bool[32];
        private readonly LocalBuilder _next, _left;
        private readonly Label _epilogue, _direct, _lookUp;
        /// <summary>The link index of each pc a direct exit leaves for (see <see cref="RegionLinks"/>).</summary>
        private readonly Dictionary<ulong, int> _links = [];
        private LocalBuilder? _link;
        private LocalBuilder? _insn;
        private readonly List<(Label Label, int GiveBack, ulong Pc)> _earlyExits = [];

        public Emitter(ILGenerator generator, RegionPlan plan)
        {
            il = generator;
            _plan = plan;
            _blockStart = new Label[plan.Count];
            for (int i = 0; i < plan.Count; i++)
                if (plan.Leader[i]) _blockStart[i] = il.DefineLabel();
            foreach (var d in plan.Insns)
            {
                foreach (int r in new[] { d.Rd, d.Rs1, d.Rs2 })
                    if (r is > 0 and < 32) _reg[r] ??= il.DeclareLocal(typeof(ulong));
            }
            _next = il.DeclareLocal(typeof(ulong));
            _left = il.DeclareLocal(typeof(long));
            _epilogue = il.DefineLabel();
            _direct = il.DefineLabel();
            _lookUp = il.DefineLabel();
        }

        public int LinkCount => _links.Count;

        private static MethodInfo Runtime(string name) => typeof(BlockRuntime).GetMethod(name)!;

        // The arguments: the region's links (the delegate's target), then BlockCode's.
        private void LdLinks() => il.Emit(OpCodes.Ldarg_0);
        private void LdHart() => il.Emit(OpCodes.Ldarg_1);
        private void LdRegisters() => il.Emit(OpCodes.Ldarg_2);
        private void LdBudget() => il.Emit(OpCodes.Ldarg_3);
        private void LdEntry() => il.Emit(OpCodes.Ldarg_S, (byte)4);

        /// <summary>Loads the budget (registers are loaded where first read: see <see cref="LoadReg"/>).</summary>
        public void Prologue()
        {
            LdBudget();
            il.Emit(OpCodes.Ldind_I8);
            il.Emit(OpCodes.Stloc, _left);
        }

        /// <summary>Stores the registers written since the last flush to the register file.</summary>
        private void Flush()
        {
            foreach (int r in _dirty) StoreBack(r);
            _dirty.Clear();
        }

        private void StoreBack(int r)
        {
            LdRegisters();
            il.Emit(OpCodes.Ldc_I4, r * 8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldloc, _reg[r]!);
            il.Emit(OpCodes.Stind_I8);
        }

        /// <summary>Loads register <paramref name="r"/>'s local from the register file.</summary>
        private void Reload(int r)
        {
            LdRegisters();
            il.Emit(OpCodes.Ldc_I4, r * 8);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldind_I8);
            il.Emit(OpCodes.Stloc, _reg[r]!);
        }

        /// <summary>Leaves the region for <paramref name="pc"/>. If <paramref name="direct"/> (a jump or branch
        /// out of the region, or falling out of it), it goes on into the block compiled there if there is
        /// one (see <see cref="EmitExits"/>): through a link if the pc is on the region's page, else by
        /// looking it up; otherwise (the budget, or attention) it returns to the engine.</summary>
        private void Exit(ulong pc, bool direct)
        {
            il.Emit(OpCodes.Ldc_I8, (long)pc);
            il.Emit(OpCodes.Stloc, _next);
            if (direct && (pc & ~0xfffUL) == (_plan.Pcs[0] & ~0xfffUL))
            {
                if (!_links.TryGetValue(pc, out int k)) _links[pc] = k = _links.Count;
                _link ??= il.DeclareLocal(typeof(int));
                il.Emit(OpCodes.Ldc_I4, k);
                il.Emit(OpCodes.Stloc, _link);
                il.Emit(OpCodes.Br, _direct);
            }
            else il.Emit(OpCodes.Br, direct ? _lookUp : _epilogue);
        }

        /// <summary>At a basic block's start: if (left &lt; its length) leave for its pc; left -= its length.
        /// The engine enters a region only when the budget covers the entry's block, so an exit here
        /// hands the rest of the budget to the interpreter at an exact instruction.</summary>
        private void EnterIfBudgetAllows(int i)
        {
            int length = _plan.GiveBack[i];
            var enter = il.DefineLabel();
            il.Emit(OpCodes.Ldloc, _left);
            il.Emit(OpCodes.Ldc_I8, (long)length);
            il.Emit(OpCodes.Bge, enter);
            Exit(_plan.Pcs[i], direct: false);
            il.MarkLabel(enter);
            GiveBack(-length);
        }

        /// <summary>Forgets which locals hold their register's value (at a basic block's start, and after a
        /// call): the next read of each loads it from the register file again.</summary>
        private void Forget() => Array.Clear(_loaded);

        /// <summary>Pushes register <paramref name="r"/>, from its local, which is loaded from the register
        /// file on the first read since <see cref="Forget"/>.</summary>
        private void LoadReg(int r)
        {
            if (r == 0) il.Emit(OpCodes.Ldc_I8, 0L);
            else
            {
                if (!_loaded[r])
                {
                    Reload(r);
                    _loaded[r] = true;
                }
                il.Emit(OpCodes.Ldloc, _reg[r]!);
            }
        }

        /// <summary>Pops the value into register <paramref name="r"/> (a write to x0, decoded as 32, is dropped).</summary>
        private void StoreReg(int r)
        {
            if (r is 0 or 32) il.Emit(OpCodes.Pop);
            else
            {
                il.Emit(OpCodes.Stloc, _reg[r]!);
                _loaded[r] = true;
                if (!_dirty.Contains(r)) _dirty.Add(r);
            }
        }

        /// <summary>Calls a helper that may throw a fault out of the region, with the instruction's index
        /// and the budget as its last arguments.</summary>
        private void CallThrowing(string helper, int index)
        {
            il.Emit(OpCodes.Ldc_I4, index);
            il.Emit(OpCodes.Ldloc, _left);
            il.Emit(OpCodes.Call, Runtime(helper));
            Forget();
        }

        private void Imm(long value) => il.Emit(OpCodes.Ldc_I8, value);

        private void SignExtendWord()
        {
            il.Emit(OpCodes.Conv_I4);
            il.Emit(OpCodes.Conv_I8);
        }

        /// <summary>rd = rs1 OP rs2 (or OP imm).</summary>
        private void Binary(in DecodedInsn d, OpCode op, bool immediate, bool word = false)
        {
            LoadReg(d.Rs1);
            if (immediate) Imm(d.Imm);
            else LoadReg(d.Rs2);
            il.Emit(op);
            if (word) SignExtendWord();
            StoreReg(d.Rd);
        }

        /// <summary>rd = rs1 shifted by rs2 (masked to 6 or 5 bits, as RISC-V and C# do; IL leaves a
        /// shift of 64 or more undefined) or by the immediate.</summary>
        private void Shift(in DecodedInsn d, OpCode op, bool immediate, bool word)
        {
            LoadReg(d.Rs1);
            // The W forms shift the low word: sign- or zero-extend it first per the shift's kind.
            if (word) il.Emit(op.Equals(OpCodes.Shr_Un) ? OpCodes.Conv_U4 : OpCodes.Conv_I4);
            if (immediate) il.Emit(OpCodes.Ldc_I4, (int)d.Imm);
            else
            {
                LoadReg(d.Rs2);
                il.Emit(OpCodes.Conv_I4);
                il.Emit(OpCodes.Ldc_I4, word ? 31 : 63);
                il.Emit(OpCodes.And);
            }
            il.Emit(op);
            if (word) il.Emit(OpCodes.Conv_I8);
            StoreReg(d.Rd);
        }

        private void Compare(in DecodedInsn d, OpCode op, bool immediate)
        {
            LoadReg(d.Rs1);
            if (immediate) Imm(d.Imm);
            else LoadReg(d.Rs2);
            il.Emit(op);
            il.Emit(OpCodes.Conv_U8);
            StoreReg(d.Rd);
        }

        private void Call(in DecodedInsn d, string helper)
        {
            LoadReg(d.Rs1);
            LoadReg(d.Rs2);
            il.Emit(OpCodes.Call, Runtime(helper));
            StoreReg(d.Rd);
        }

        /// <summary>Pushes rs1 + imm.</summary>
        private void Address(in DecodedInsn d)
        {
            LoadReg(d.Rs1);
            if (d.Imm != 0)
            {
                Imm(d.Imm);
                il.Emit(OpCodes.Add);
            }
        }

        /// <summary>rd = the helper's load at rs1 + imm (a fault throws out of the region, rd unchanged). The
        /// helper does the TLB look-up: inlined here, it cost RyuJIT several times more to compile than the
        /// call, and the real programs ran slower for it (measured: see the README's engine section).</summary>
        private void Load(in DecodedInsn d, string helper, int index)
        {
            Flush();
            LdHart();
            Address(d);
            CallThrowing(helper, index);
            StoreReg(d.Rd);
        }

        /// <summary>The helper's store of rs2 at rs1 + imm; leaves if it asks to.</summary>
        private void Store(in DecodedInsn d, string helper, int index)
        {
            Flush();
            LdHart();
            Address(d);
            LoadReg(d.Rs2);
            CallThrowing(helper, index);
            LeaveIfAsked(index);
        }

        /// <summary>An F or D instruction: its decoded form is rebuilt in a local from constants and handed
        /// to the interpreter's code, which works on the register file: it may read rs1 (an address or
        /// an integer operand) and write rd.</summary>
        private void FloatingPoint(in DecodedInsn d, int index)
        {
            _insn ??= il.DeclareLocal(typeof(DecodedInsn));
            // It reads and writes the register file (an integer rs1 or rd among them).
            Flush();
            il.Emit(OpCodes.Ldloca, _insn);
            il.Emit(OpCodes.Initobj, typeof(DecodedInsn));
            SetField(nameof(DecodedInsn.Op), (int)d.Op, typeof(Op));
            SetField(nameof(DecodedInsn.Rd), d.Rd, typeof(byte));
            SetField(nameof(DecodedInsn.Rs1), d.Rs1, typeof(byte));
            SetField(nameof(DecodedInsn.Rs2), d.Rs2, typeof(byte));
            SetField(nameof(DecodedInsn.Rs3), d.Rs3, typeof(byte));
            SetField(nameof(DecodedInsn.Length), d.Length, typeof(byte));
            SetField(nameof(DecodedInsn.Sub), d.Sub, typeof(byte));
            SetField(nameof(DecodedInsn.Rm), d.Rm, typeof(byte));
            SetField(nameof(DecodedInsn.Raw), (int)d.Raw, typeof(uint));
            il.Emit(OpCodes.Ldloca, _insn);
            il.Emit(OpCodes.Ldc_I4, d.Imm);
            il.Emit(OpCodes.Stfld, typeof(DecodedInsn).GetField(nameof(DecodedInsn.Imm))!);
            LdHart();
            il.Emit(OpCodes.Ldloca, _insn);
            CallThrowing(nameof(BlockRuntime.FloatingPoint), index);
            // It may have written an integer rd: the call forgets the locals.
            LeaveIfAsked(index);
        }

        private void SetField(string name, int value, Type type)
        {
            il.Emit(OpCodes.Ldloca, _insn!);
            il.Emit(OpCodes.Ldc_I4, value);
            if (type == typeof(byte) || type == typeof(Op)) il.Emit(OpCodes.Conv_U1);
            il.Emit(OpCodes.Stfld, typeof(DecodedInsn).GetField(name)!);
        }

        /// <summary>After a helper that answers "leave" (a store changed code or reached a device): leaves
        /// after this instruction, giving back the rest of its basic block (the registers were flushed before
        /// the call, which writes none).</summary>
        private void LeaveIfAsked(int index)
        {
            var leave = il.DefineLabel();
            _earlyExits.Add((leave, _plan.GiveBack[index] - 1, _plan.Next(index)));
            il.Emit(OpCodes.Brtrue, leave);
        }

        /// <summary>switch (entry) { case n: goto the n-th leader's block; }</summary>
        public void SwitchToEntry(List<int> leaders)
        {
            LdEntry();
            il.Emit(OpCodes.Switch, leaders.Select(i => _blockStart[i]).ToArray());
            il.Emit(OpCodes.Br, _blockStart[leaders[0]]);
        }

        /// <summary>Goes to <paramref name="target"/>: an IL branch to its block if the region holds it
        /// (its block checks the budget), else out of the region.</summary>
        public void GoTo(ulong target)
        {
            if (_plan.IndexOf.TryGetValue(target, out int i)) il.Emit(OpCodes.Br, _blockStart[i]);
            else Exit(target, direct: true);
        }

        /// <summary>left += n.</summary>
        private void GiveBack(int n)
        {
            if (n == 0) return;
            il.Emit(OpCodes.Ldloc, _left);
            il.Emit(OpCodes.Ldc_I8, (long)n);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stloc, _left);
        }

        /// <summary>A branch ends its basic block: taken or not, it goes to the next one.</summary>
        private void Branch(in DecodedInsn d, OpCode op, int index)
        {
            var notTaken = il.DefineLabel();
            LoadReg(d.Rs1);
            LoadReg(d.Rs2);
            il.Emit(Inverse(op), notTaken);
            GoTo(_plan.Pcs[index] + (ulong)d.Imm);
            il.MarkLabel(notTaken);
        }

        private static OpCode Inverse(OpCode op)
        {
            if (op.Equals(OpCodes.Beq)) return OpCodes.Bne_Un;
            if (op.Equals(OpCodes.Bne_Un)) return OpCodes.Beq;
            if (op.Equals(OpCodes.Blt)) return OpCodes.Bge;
            if (op.Equals(OpCodes.Bge)) return OpCodes.Blt;
            if (op.Equals(OpCodes.Blt_Un)) return OpCodes.Bge_Un;
            return OpCodes.Blt_Un;
        }

        /// <summary>The early exits (each gives back the rest of its basic block); then the ways out, each with
        /// the budget stored back: on into the block a direct exit is linked to (a tail call of
        /// <see cref="RegionExits.Linked"/>), on into the block at the pc the engine would find (a tail call of
        /// <see cref="RegionExits.Lookup"/>; jalr, and direct exits to another page, whose mapping a link could
        /// not vouch for), and the epilogue, which returns the pc to go on from.</summary>
        public void EmitExits()
        {
            foreach (var (label, giveBack, pc) in _earlyExits)
            {
                il.MarkLabel(label);
                GiveBack(giveBack);
                Exit(pc, direct: false);
            }
            if (_link != null)
            {
                il.MarkLabel(_direct);
                GoOnThrough(RegionExits.Linked, linked: true);
            }
            il.MarkLabel(_lookUp);
            GoOnThrough(RegionExits.Lookup, linked: false);
            il.MarkLabel(_epilogue);
            StoreBudget();
            il.Emit(OpCodes.Ldloc, _next);
            il.Emit(OpCodes.Ret);
        }

        /// <summary>Stores the budget back and tail-calls <paramref name="exit"/> with the hart, the register
        /// file, the budget, (if <paramref name="linked"/>) the region's links and the exit's link, and the pc.</summary>
        private void GoOnThrough(DynamicMethod exit, bool linked)
        {
            StoreBudget();
            LdHart();
            LdRegisters();
            LdBudget();
            if (linked)
            {
                LdLinks();
                il.Emit(OpCodes.Ldloc, _link!);
            }
            il.Emit(OpCodes.Ldloc, _next);
            il.Emit(OpCodes.Tailcall);
            il.Emit(OpCodes.Call, exit);
            il.Emit(OpCodes.Ret);
        }

        /// <summary>*left = the budget left.</summary>
        private void StoreBudget()
        {
            LdBudget();
            il.Emit(OpCodes.Ldloc, _left);
            il.Emit(OpCodes.Stind_I8);
        }

        /// <summary>Emits instruction <paramref name="index"/> (preceded by its block's budget check if it
        /// starts one), and where the region does not fall through from it, the way out.</summary>
        public void Emit(int index)
        {
            if (_plan.Leader[index])
            {
                // Every way into a block (a branch, the entry switch, falling through) finds the registers flushed.
                if (_dirty.Count != 0) throw new InvalidOperationException($"registers left unflushed before {_plan.Pcs[index]:x}");
                il.MarkLabel(_blockStart[index]);
                Forget();
                EnterIfBudgetAllows(index);
            }
            var d = _plan.Insns[index];
            ulong pc = _plan.Pcs[index], next = _plan.Next(index);
            // A branch reads registers and writes none: flushed before it, it leaves the block clean.
            if (d.Op is >= Op.Beq and <= Op.Bgeu) Flush();
            EmitInstruction(d, index, pc, next);
            if (d.Op is Op.Jal or Op.Jalr) return;
            if (_plan.EndsBlock(index)) Flush();
            if (!_plan.FallsInto(index)) Exit(next, direct: true);
        }

        private void EmitInstruction(in DecodedInsn d, int index, ulong pc, ulong next)
        {
            switch (d.Op)
            {
                case Op.Lui:
                    Imm(d.Imm);
                    StoreReg(d.Rd);
                    break;
                case Op.Auipc:
                    Imm((long)(pc + (ulong)d.Imm));
                    StoreReg(d.Rd);
                    break;
                case Op.Jal:
                    Imm((long)next);
                    StoreReg(d.Rd);
                    Flush();
                    GoTo(pc + (ulong)d.Imm);
                    break;
                case Op.Jalr:
                    // The target is read before rd is written: rd may be rs1.
                    Address(d);
                    Imm(~1L);
                    il.Emit(OpCodes.And);
                    il.Emit(OpCodes.Stloc, _next);
                    Imm((long)next);
                    StoreReg(d.Rd);
                    Flush();
                    il.Emit(OpCodes.Br, _lookUp);
                    break;
                case Op.Beq: Branch(d, OpCodes.Beq, index); break;
                case Op.Bne: Branch(d, OpCodes.Bne_Un, index); break;
                case Op.Blt: Branch(d, OpCodes.Blt, index); break;
                case Op.Bge: Branch(d, OpCodes.Bge, index); break;
                case Op.Bltu: Branch(d, OpCodes.Blt_Un, index); break;
                case Op.Bgeu: Branch(d, OpCodes.Bge_Un, index); break;
                case Op.Lb: Load(d, nameof(BlockRuntime.Lb), index); break;
                case Op.Lh: Load(d, nameof(BlockRuntime.Lh), index); break;
                case Op.Lw: Load(d, nameof(BlockRuntime.Lw), index); break;
                case Op.Ld: Load(d, nameof(BlockRuntime.Ld), index); break;
                case Op.Lbu: Load(d, nameof(BlockRuntime.Lbu), index); break;
                case Op.Lhu: Load(d, nameof(BlockRuntime.Lhu), index); break;
                case Op.Lwu: Load(d, nameof(BlockRuntime.Lwu), index); break;
                case Op.Sb: Store(d, nameof(BlockRuntime.Sb), index); break;
                case Op.Sh: Store(d, nameof(BlockRuntime.Sh), index); break;
                case Op.Sw: Store(d, nameof(BlockRuntime.Sw), index); break;
                case Op.Sd: Store(d, nameof(BlockRuntime.Sd), index); break;
                case Op.Addi: Binary(d, OpCodes.Add, immediate: true); break;
                case Op.Slti: Compare(d, OpCodes.Clt, immediate: true); break;
                case Op.Sltiu: Compare(d, OpCodes.Clt_Un, immediate: true); break;
                case Op.Xori: Binary(d, OpCodes.Xor, immediate: true); break;
                case Op.Ori: Binary(d, OpCodes.Or, immediate: true); break;
                case Op.Andi: Binary(d, OpCodes.And, immediate: true); break;
                case Op.Slli: Shift(d, OpCodes.Shl, immediate: true, word: false); break;
                case Op.Srli: Shift(d, OpCodes.Shr_Un, immediate: true, word: false); break;
                case Op.Srai: Shift(d, OpCodes.Shr, immediate: true, word: false); break;
                case Op.Add: Binary(d, OpCodes.Add, immediate: false); break;
                case Op.Sub: Binary(d, OpCodes.Sub, immediate: false); break;
                case Op.Sll: Shift(d, OpCodes.Shl, immediate: false, word: false); break;
                case Op.Slt: Compare(d, OpCodes.Clt, immediate: false); break;
                case Op.Sltu: Compare(d, OpCodes.Clt_Un, immediate: false); break;
                case Op.Xor: Binary(d, OpCodes.Xor, immediate: false); break;
                case Op.Srl: Shift(d, OpCodes.Shr_Un, immediate: false, word: false); break;
                case Op.Sra: Shift(d, OpCodes.Shr, immediate: false, word: false); break;
                case Op.Or: Binary(d, OpCodes.Or, immediate: false); break;
                case Op.And: Binary(d, OpCodes.And, immediate: false); break;
                case Op.Addiw: Binary(d, OpCodes.Add, immediate: true, word: true); break;
                case Op.Slliw: Shift(d, OpCodes.Shl, immediate: true, word: true); break;
                case Op.Srliw: Shift(d, OpCodes.Shr_Un, immediate: true, word: true); break;
                case Op.Sraiw: Shift(d, OpCodes.Shr, immediate: true, word: true); break;
                case Op.Addw: Binary(d, OpCodes.Add, immediate: false, word: true); break;
                case Op.Subw: Binary(d, OpCodes.Sub, immediate: false, word: true); break;
                case Op.Sllw: Shift(d, OpCodes.Shl, immediate: false, word: true); break;
                case Op.Srlw: Shift(d, OpCodes.Shr_Un, immediate: false, word: true); break;
                case Op.Sraw: Shift(d, OpCodes.Shr, immediate: false, word: true); break;
                case Op.Mul: Binary(d, OpCodes.Mul, immediate: false); break;
                case Op.Mulw: Binary(d, OpCodes.Mul, immediate: false, word: true); break;
                case Op.Mulh: Call(d, nameof(BlockRuntime.Mulh)); break;
                case Op.Mulhu: Call(d, nameof(BlockRuntime.Mulhu)); break;
                case Op.Mulhsu: Call(d, nameof(BlockRuntime.Mulhsu)); break;
                case Op.Div: Call(d, nameof(BlockRuntime.Div)); break;
                case Op.Divu: Call(d, nameof(BlockRuntime.Divu)); break;
                case Op.Rem: Call(d, nameof(BlockRuntime.Rem)); break;
                case Op.Remu: Call(d, nameof(BlockRuntime.Remu)); break;
                case Op.Divw: Call(d, nameof(BlockRuntime.Divw)); break;
                case Op.Divuw: Call(d, nameof(BlockRuntime.Divuw)); break;
                case Op.Remw: Call(d, nameof(BlockRuntime.Remw)); break;
                case Op.Remuw: Call(d, nameof(BlockRuntime.Remuw)); break;
                case Op.Flw or Op.Fld or Op.Fsw or Op.Fsd or Op.Fp: FloatingPoint(d, index); break;
                default: throw new InvalidOperationException($"{d.Op} is not compilable");
            }
        }
    }
}
