namespace Bulwark.Machine.Cpu.Passwords;

/// <summary>One password register. <see cref="Value"/> is what user instructions load and store: the
/// password itself in password mode, the address of its slot in the kernel's canonical section (in
/// <see cref="Value"/>.Lo) in table mode. <see cref="Shadow"/> is the table mode's copy of the password,
/// filled by the hardware from the slot (loadpwd) or by the kernel (refresh after a rotation); no user
/// instruction reads it.</summary>
public struct PasswordRegister
{
    /// <summary>Password registers per hart (pr0..pr7).</summary>
    public const int Count = 8;

    public Password128 Value;
    public Password128 Shadow;
}
