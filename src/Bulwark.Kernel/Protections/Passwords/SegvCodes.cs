namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>si_code values of the SIGSEGV a failed check delivers, in a range Linux does not use
/// (its SEGV_ codes end at 10); the header repeats them.</summary>
public static class SegvCodes
{
    /// <summary>A far access the register's password does not allow (si_addr: the far address).</summary>
    public const int PasswordMismatch = 0x50;
    /// <summary>A pointer read through a far pointer leads outside its password's pages (si_addr: the pointer).</summary>
    public const int BadPointer = 0x51;
    /// <summary>Table mode: the register's grant was revoked (si_addr: the far address).</summary>
    public const int Revoked = 0x52;
}
