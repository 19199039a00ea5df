namespace Bulwark.Kernel.Protections.Midas;

/// <summary>What Midas did during a run (printed by --stats).</summary>
public sealed class MidasStats
{
    /// <summary>Times a frame went from unprotected to write-protected.</summary>
    public long PagesProtected { get; set; }
    /// <summary>New page versions made for writers of protected frames.</summary>
    public long VersionsCreated { get; set; }
    public long BytesCopied { get; set; }
    /// <summary>Writes (user stores and kernel writes) that hit a write-protected frame.</summary>
    public long WriteFaults { get; set; }
    /// <summary>Peak bytes held only for snapshots: old versions no user maps, and syscall-private copies.</summary>
    public long PeakExtraBytes { get; set; }
}
