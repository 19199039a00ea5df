using System.Reflection;
using System.Reflection.Emit;

namespace Bulwark.Machine.Cpu.Jit;

/// <summary>The ways a region goes on into the next compiled block without returning to the engine. Each
/// is one method shared by every region, which a region's exit tail-calls with the budget stored back: it
/// finds the next block, and tail-calls that block's code (so a chain of regions does not grow the stack,
/// and returns to the engine from its last region), or returns the pc to the engine. Shared, they cost each
/// region's compile a call instead of the look-up's code (inlined in every region, the look-up made RyuJIT's
/// work grow enough to cost more than chaining saved: see the README's engine section).</summary>
internal static class RegionExits
{
    /// <summary>(hart, ref x, ref left, pc): goes on into the block compiled at pc, found as the engine
    /// finds it (<see cref="BlockRuntime.NextRegion"/>), or returns pc.</summary>
    public static readonly DynamicMethod Lookup = Build("go_on", [typeof(ulong)], il =>
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_3);
        il.Emit(OpCodes.Call, typeof(BlockRuntime).GetMethod(nameof(BlockRuntime.NextRegion))!);
    }, pc: 3);

    /// <summary>(hart, ref x, ref left, links, link, pc): goes on into the block the region's direct exit
    /// is linked to (<see cref="BlockRuntime.Linked"/>), or returns pc.</summary>
    public static readonly DynamicMethod Linked = Build("go_on_linked", [typeof(RegionLinks), typeof(int), typeof(ulong)], il =>
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_3);
        il.Emit(OpCodes.Ldarg_S, (byte)4);
        il.Emit(OpCodes.Call, typeof(BlockRuntime).GetMethod(nameof(BlockRuntime.Linked))!);
    }, pc: 5);

    /// <summary>A method of (Hart, ref ulong, ref long, <paramref name="more"/>...) returning ulong, whose
    /// <paramref name="find"/> pushes the next block or null; argument <paramref name="pc"/> is returned if null.</summary>
    private static DynamicMethod Build(string name, Type[] more, Action<ILGenerator> find, int pc)
    {
        var method = new DynamicMethod(name, typeof(ulong),
            [typeof(Hart), typeof(ulong).MakeByRefType(), typeof(long).MakeByRefType(), .. more], typeof(RegionExits).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var next = il.DeclareLocal(typeof(CompiledBlock));
        var found = il.DefineLabel();
        find(il);
        il.Emit(OpCodes.Stloc, next);
        il.Emit(OpCodes.Ldloc, next);
        il.Emit(OpCodes.Brtrue, found);
        il.Emit(OpCodes.Ldarg_S, (byte)pc);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(found);
        il.Emit(OpCodes.Ldloc, next);
        il.Emit(OpCodes.Call, typeof(CompiledBlock).GetProperty(nameof(CompiledBlock.Code))!.GetMethod!);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Ldloc, next);
        il.Emit(OpCodes.Call, typeof(CompiledBlock).GetProperty(nameof(CompiledBlock.Entry))!.GetMethod!);
        il.Emit(OpCodes.Tailcall);
        il.Emit(OpCodes.Callvirt, typeof(BlockCode).GetMethod(nameof(BlockCode.Invoke))!);
        il.Emit(OpCodes.Ret);
        return method;
    }
}
