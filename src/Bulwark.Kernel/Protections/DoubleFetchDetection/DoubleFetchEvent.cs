namespace Bulwark.Kernel.Protections.DoubleFetchDetection;

/// <summary>One double-fetch situation: a system call read a user page it had already read.
/// <see cref="Overlap"/> is false when the two reads touched different bytes that merely share a
/// page (a false positive of page-granular tracking).</summary>
public sealed record DoubleFetchEvent(
    string Syscall, int Tid, ulong FirstAddress, int FirstLength, string FirstSite,
    ulong SecondAddress, int SecondLength, string SecondSite, bool Overlap, bool Changed)
{
    public override string ToString() =>
        $"double-fetch: {Syscall} tid {Tid}: 0x{FirstAddress:x}+{FirstLength} at {FirstSite}, then 0x{SecondAddress:x}+{SecondLength} at {SecondSite}: " +
        (Overlap ? (Changed ? "same bytes, CHANGED by a user write in between" : "same bytes, unchanged") : "different bytes on the same page (false positive)");
}
