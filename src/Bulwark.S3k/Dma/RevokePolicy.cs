namespace Bulwark.S3k.Dma;

/// <summary>What the kernel does when a revoke, delete or move would take memory a device may still touch
/// (`bulwark s3k --revoke-policy`, issue 9).</summary>
public enum RevokePolicy
{
    /// <summary>What s3k does: nothing; DMA is not checked.</summary>
    None,
    /// <summary>The driver is suspended and the device reset before the memory changes hands.</summary>
    Kill,
    /// <summary>The requests that touch the memory are failed (completed with an error) and the bytes zeroed;
    /// rings inside the memory cannot be failed, so then the device is reset.</summary>
    Scrub,
    /// <summary>The call fails with <see cref="Err.DmaBusy"/>, which the caller retries; a device that keeps
    /// the memory busy longer than the configured bound is reset (a stuck device cannot block a monitor).</summary>
    Deny,
    /// <summary>The call succeeds, but the bytes a device may still touch are held back (no derive, move or
    /// PMP load may reach them) until no request of the device touches them, or it is reset.</summary>
    Quarantine,
    /// <summary>The device is reset, then the call proceeds.</summary>
    Reset,
}

public static class RevokePolicies
{
    /// <summary>The policies' names in the enum's order (a new array each time: no shared mutable state).</summary>
    public static string[] Names => ["none", "kill", "scrub", "deny", "quarantine", "reset"];

    public static string Name(RevokePolicy p) => Names[(int)p];

    public static bool TryParse(string name, out RevokePolicy policy)
    {
        int i = Array.IndexOf(Names, name);
        policy = i < 0 ? RevokePolicy.None : (RevokePolicy)i;
        return i >= 0;
    }
}
