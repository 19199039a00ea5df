namespace Bulwark.Kernel.Protections;

/// <summary>System calls a TOCTTOU protection must leave alone: they read live user memory, with the
/// reason for each.</summary>
public static class ExemptSyscalls
{
    public static IReadOnlyDictionary<int, string> Reasons { get; } = new Dictionary<int, string>
    {
        [98] = "futex: its compare-and-block must see the live word other threads are changing; a snapshot " +
               "would let a waiter sleep on a value that was already updated, losing the wake-up",
    };

    public static bool IsExempt(int number) => Reasons.ContainsKey(number);
}
