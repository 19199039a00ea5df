namespace Bulwark.Machine.Cpu.Passwords;

/// <summary>What a password register's <see cref="PasswordRegister.Value"/> holds and what the unit
/// checks against a segment.</summary>
public enum PasswordMode
{
    /// <summary>The register holds the 128-bit password; it is what is checked.</summary>
    Password,
    /// <summary>The register holds the address of a slot in the kernel's canonical section; its shadow,
    /// copied from the slot, is what is checked.</summary>
    Table,
}
