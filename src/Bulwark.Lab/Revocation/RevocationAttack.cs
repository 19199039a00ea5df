namespace Bulwark.Lab.Revocation;

/// <summary>The attacks of tests/s3k-programs/revoke (revoke.h's enum attack, the same numbers).</summary>
public enum RevocationAttack
{
    /// <summary>Whole chains in the target; the revoke lands anywhere in the driver's requests.</summary>
    Race = 1,
    /// <summary>Buffers starting just below the target and running into it.</summary>
    Crossing = 2,
    /// <summary>Only the chain's second descriptor (the data) in the target.</summary>
    Second = 3,
    /// <summary>An indirect table outside the target pointing into it.</summary>
    Indirect = 4,
    /// <summary>The rings inside the target.</summary>
    Rings = 5,
    /// <summary>Chains in the target, rewritten to point elsewhere right after the notify.</summary>
    Rewrite = 6,
    /// <summary>The target taken and given back five times while the driver streams requests.</summary>
    Dos = 7,
    /// <summary>Chains in the target on a disk that never completes.</summary>
    Stall = 8,
}
