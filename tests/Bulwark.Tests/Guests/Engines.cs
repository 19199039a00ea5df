using Bulwark.Machine.Cpu;

namespace Bulwark.Tests.Guests;

/// <summary>Theory data over both execution engines: a test that runs guest code runs it under each.</summary>
public static class Engines
{
    public static readonly EngineKind[] All = [EngineKind.Interpreter, EngineKind.Jit];

    /// <summary>Every case under every engine.</summary>
    public static TheoryData<string, EngineKind> Cross(IEnumerable<string> cases)
    {
        var data = new TheoryData<string, EngineKind>();
        foreach (string c in cases)
            foreach (var engine in All) data.Add(c, engine);
        return data;
    }
}
