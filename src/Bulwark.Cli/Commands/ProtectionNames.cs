using Bulwark.Kernel;

namespace Bulwark.Cli.Commands;

/// <summary>The command-line names of the protections (`--protect`, schedule files).</summary>
public static class ProtectionNames
{
    public const string Choices = "none, midas";

    public static bool IsValid(string? name) => name is "none" or "midas";

    public static UserMemoryProtection Parse(string? name) => name == "midas" ? UserMemoryProtection.Midas : UserMemoryProtection.None;

    public static string Name(UserMemoryProtection protection) => protection == UserMemoryProtection.Midas ? "midas" : "none";
}
