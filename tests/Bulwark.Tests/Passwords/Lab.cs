using Bulwark.Kernel.Protections.Passwords;
using Bulwark.Lab.Passwords;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Passwords;

/// <summary>The password lab's guests (lab/passwords, built by its build.sh).</summary>
internal static class Lab
{
    public static string Elf(string name) => Path.Combine(GuestCase.RepositoryPath("lab", "passwords"), name + ".elf");

    public static PasswordRun Run(string name, SharedProtectionMode mode, params string[] args) => PasswordRun.Of(Elf(name), args, mode);

    public static readonly SharedProtectionMode[] Modes =
        [SharedProtectionMode.None, SharedProtectionMode.Statistical, SharedProtectionMode.Password, SharedProtectionMode.PasswordTable, SharedProtectionMode.Fallback];

    public static TheoryData<SharedProtectionMode> AllModes() => [.. Modes];
}
