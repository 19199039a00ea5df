namespace Bulwark.Machine.Translation;

/// <summary>How a hart turns a virtual address into a physical frame. The Linux platform uses Sv39
/// page tables; a PMP-checked physical platform can implement this with an identity map.</summary>
public interface IAddressTranslator
{
    /// <summary>Translates a user-mode access. Returns the frame number, or 0 if the access faults.
    /// <paramref name="cacheable"/> says whether the result may be kept in a TLB.</summary>
    uint Translate(ulong va, AccessType access, out bool cacheable);
}
