using System.Reflection;
using System.Runtime.CompilerServices;

namespace Bulwark.Tests.Isolation;

/// <summary>A guest must see nothing of the runs that came before it in the same host process
/// (explore and eval run thousands of kernels in one process). Static state is where such leaks hide,
/// so every static field of the machine, the kernels and the lab is either a constant, a read-only
/// field of an immutable type, or listed here with the reason it cannot carry state between runs.</summary>
public sealed class StaticStateTests
{
    private static readonly Dictionary<string, string> Allowed = new()
    {
        ["Bulwark.Kernel.Syscalls.SyscallTable.<Linux>k__BackingField"] = "filled once by its static constructor, read-only afterwards",
        ["Bulwark.Kernel.Syscalls.SyscallNames.Names"] = "a fixed table of Linux syscall names",
        ["Bulwark.Kernel.Protections.ExemptSyscalls.<Reasons>k__BackingField"] = "a fixed table of exempt calls",
        ["Bulwark.Kernel.Lab.DoubleFetch.DoubleFetchHandlers.<All>k__BackingField"] = "the handlers have no fields (checked below)",
        ["Bulwark.Kernel.Lab.DoubleFetch.DfBenchDevice.<Handlers>k__BackingField"] = "the same list",
        ["Bulwark.Machine.Cpu.Jit.CompiledBlock.Pending"] = "a marker compared by reference: its properties are get-only and its code only throws",
        ["Bulwark.Machine.Cpu.Jit.RegionExits.Lookup"] = "a method emitted once, whose code reads only its arguments",
        ["Bulwark.Machine.Cpu.Jit.RegionExits.Linked"] = "a method emitted once, whose code reads only its arguments",
    };

    private static readonly Assembly[] Product =
    [
        typeof(Bulwark.Machine.Machine).Assembly,
        typeof(Bulwark.Kernel.KernelCore).Assembly,
        typeof(Bulwark.Lab.Exploration.Explorer).Assembly,
        typeof(Bulwark.S3k.S3kSystem).Assembly,
    ];

    /// <summary>Compiler-generated types are skipped, and so is the regex source generator's code
    /// ([GeneratedRegex]): its statics are the matchers and their constant tables.</summary>
    private static IEnumerable<FieldInfo> StaticFields() =>
        Product.SelectMany(a => a.GetTypes())
            .Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) && !(t.DeclaringType?.IsDefined(typeof(CompilerGeneratedAttribute)) ?? false))
            .Where(t => t.Namespace != "System.Text.RegularExpressions.Generated")
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral);

    private static string Name(FieldInfo f) => $"{f.DeclaringType!.FullName}.{f.Name}";

    /// <summary>Primitives, strings, enums, and types whose every instance field is read-only and
    /// itself of an immutable type.</summary>
    private static bool IsImmutable(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal)
        || (!t.IsArray && !t.IsInterface && !t.IsAbstract && t.Assembly != typeof(object).Assembly
            && t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .All(f => f.IsInitOnly && f.FieldType != t && IsImmutable(f.FieldType)));

    [Fact]
    public void EveryStaticFieldIsConstantOrListedWithAReason()
    {
        var offenders = StaticFields()
            .Where(f => !Allowed.ContainsKey(Name(f)))
            .Where(f => !f.IsInitOnly || !IsImmutable(f.FieldType))
            .Select(f => $"{Name(f)} ({(f.IsInitOnly ? "readonly " : "")}{f.FieldType.Name})")
            .ToList();
        Assert.True(offenders.Count == 0, "static state a run could leak into the next:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void TheAllowListNamesOnlyFieldsThatExist()
    {
        var names = StaticFields().Select(Name).ToHashSet();
        Assert.All(Allowed.Keys, k => Assert.Contains(k, names));
    }

    [Fact]
    public void SharedDoubleFetchHandlersAreStateless()
    {
        foreach (var handler in Bulwark.Kernel.Lab.DoubleFetch.DoubleFetchHandlers.All)
        {
            var fields = handler.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            Assert.True(fields.Length == 0, $"{handler.GetType().Name} is shared by every kernel but has fields: {string.Join(", ", fields.Select(f => f.Name))}");
        }
    }
}
