namespace Bulwark.Machine.Cpu.Passwords;

/// <summary>A 128-bit value held by a password register or attached to a segment. Zero is never a
/// password (the kernel draws non-zero ones), so an empty register or slot matches nothing.</summary>
public readonly record struct Password128(ulong Lo, ulong Hi)
{
    public static readonly Password128 Zero;

    public bool IsZero => (Lo | Hi) == 0;

    public override string ToString() => $"{Hi:x16}{Lo:x16}";
}
