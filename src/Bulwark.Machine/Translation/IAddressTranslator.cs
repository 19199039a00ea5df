namespace Bulwark.Machine.Translation;

/// <summary>How a hart turns an address into a physical frame: the platform's part of every access.
/// The Linux platform plugs in Sv39 page tables (user mode); the system board plugs in each hart's
/// PMP unit (identity mapping, permission by physical region and privilege).</summary>
public interface IAddressTranslator
{
    /// <summary>Translates an access of <paramref name="size"/> bytes at <paramref name="va"/> that does not
    /// cross a page. Returns the physical frame number, or 0 when the access faults; then
    /// <paramref name="flags"/> tells a page fault (no or wrong mapping) from an access fault (physical
    /// memory protection). <see cref="TranslationFlags.Cacheable"/> says the answer holds for every
    /// access of this kind to the whole page, so a TLB may keep it.</summary>
    uint Translate(ulong va, int size, AccessType access, out TranslationFlags flags);
}

[Flags]
public enum TranslationFlags : byte
{
    None = 0,
    Cacheable = 1,
    AccessFault = 2,
}
