using Bulwark.S3k.Capabilities;

namespace Bulwark.S3k.Dma;

/// <summary>The bytes a MEMORY or PMP capability covers, and its descendants as s3k's revoke finds them.</summary>
public static class CapRanges
{
    /// <summary>[start, end) of a MEMORY (its blocks) or PMP (its NAPOT region) capability; null for other types.</summary>
    public static (ulong Start, ulong End)? Of(Cap cap)
    {
        switch (cap.Type)
        {
            case CapType.Memory:
                return (Cap.BlockAddress(cap.Tag, cap.Bgn), Cap.BlockAddress(cap.Tag, cap.End));
            case CapType.Pmp:
                var (start, size) = Cap.NapotDecode(cap.Addr);
                ulong end = start + size;
                return (start, end < start ? ulong.MaxValue : end);
            default:
                return null;
        }
    }

    /// <summary>The entries revoking <paramref name="c"/> would delete: the run of list entries right after
    /// it that pass revoke's own test (a MEMORY of the same tag beginning at or after it, or a PMP whose
    /// region begins at or after it). Defined by revoke rather than by a stored tree because s3k keeps none:
    /// these are exactly the capabilities whose bytes a revoke of <paramref name="c"/> takes back.</summary>
    public static IEnumerable<int> Descendants(CapTable table, int c)
    {
        var p = table.Cap(c);
        if (p.Type != CapType.Memory) yield break;
        ulong parentStart = Cap.BlockAddress(p.Tag, p.Bgn);
        for (int k = table.Next(c), n = 0; k != c && n < table.Length; k = table.Next(k), n++)
        {
            var child = table.Cap(k);
            bool memory = child.Type == CapType.Memory && child.Tag == p.Tag && p.Bgn <= child.Bgn;
            bool pmp = child.Type == CapType.Pmp && parentStart <= Cap.NapotDecode(child.Addr).Base;
            if (!memory && !pmp) yield break;
            yield return k;
        }
    }
}
