namespace Bulwark.Machine.Cpu.Passwords;

/// <summary>The canonical section of the process a hart runs (table mode): the kernel-owned slots the
/// hardware reads when loadpwd fills a shadow, and when a mismatch must be told apart from a stale
/// shadow. The platform plugs the current process's section into <see cref="Hart.PasswordSection"/> as
/// it plugs in its page table; user instructions never read it.</summary>
public interface IPasswordSection
{
    /// <summary>The password in the slot at <paramref name="slotAddress"/>, or zero when that is not a
    /// slot or the slot is empty (no grant).</summary>
    Password128 Read(ulong slotAddress);
}
