namespace Bulwark.Machine.Translation;

/// <summary>The low ten bits of an Sv39 page-table entry. The two RSW bits are free for the
/// operating system (Midas keeps its MARKED/OLD-write state there).</summary>
[Flags]
public enum PteFlags : ulong
{
    None = 0,
    V = 1 << 0,
    R = 1 << 1,
    W = 1 << 2,
    X = 1 << 3,
    U = 1 << 4,
    G = 1 << 5,
    A = 1 << 6,
    D = 1 << 7,
    Rsw0 = 1 << 8,
    Rsw1 = 1 << 9,
}
