namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>What protects the segments of the shared part (`--memory-protection`). The numbers are what
/// `pwd_mode()` returns to a guest (guest/include/bulwark/pwd.h).</summary>
public enum SharedProtectionMode
{
    /// <summary>Nothing: every segment is mapped read-write in every process.</summary>
    None = 0,
    /// <summary>Every segment is mapped in every process at a sparse random read-write alias and another
    /// read-only one; knowing an address is the permission.</summary>
    Statistical = 1,
    /// <summary>Far accesses only, checked by the CPU against the segment's 128-bit password per access
    /// kind; a granted process holds the password itself.</summary>
    Password = 2,
    /// <summary>As <see cref="Password"/>, but the passwords stay in the kernel's canonical section; a
    /// register holds a slot address and a shadow the user cannot read; revocation rotates.</summary>
    PasswordTable = 3,
    /// <summary>No new instructions: ordinary mappings in attached processes, a page-id map, and
    /// pointer verification on reads in the guest library.</summary>
    Fallback = 4,
}

public static class SharedProtectionModes
{
    public const string Choices = "none, statistical, password, password-table, fallback";

    public static bool TryParse(string? name, out SharedProtectionMode mode)
    {
        mode = name switch
        {
            "none" => SharedProtectionMode.None,
            "statistical" => SharedProtectionMode.Statistical,
            "password" => SharedProtectionMode.Password,
            "password-table" => SharedProtectionMode.PasswordTable,
            "fallback" => SharedProtectionMode.Fallback,
            _ => (SharedProtectionMode)(-1),
        };
        return mode >= 0;
    }

    public static string Name(SharedProtectionMode mode) => mode switch
    {
        SharedProtectionMode.Statistical => "statistical",
        SharedProtectionMode.Password => "password",
        SharedProtectionMode.PasswordTable => "password-table",
        SharedProtectionMode.Fallback => "fallback",
        _ => "none",
    };

    /// <summary>The modes in which the CPU's password unit checks far accesses.</summary>
    public static bool UsesPasswordUnit(SharedProtectionMode mode) => mode is SharedProtectionMode.Password or SharedProtectionMode.PasswordTable;
}
