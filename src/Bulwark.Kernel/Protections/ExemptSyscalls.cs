namespace Bulwark.Kernel.Protections;

/// <summary>System calls a TOCTTOU protection must leave alone: they read live user memory, with the
/// reason for each.</summary>
public static class ExemptSyscalls
{
    public static IReadOnlyDictionary<int, string> Reasons { get; } = new Dictionary<int, string>
    {
        [98] = "futex: a waiter sleeps inside the call, so a snapshot of the futex word's page would keep that " +
               "page write-protected for the whole sleep and every store to it, the waker's included, would make a " +
               "new version (tests/guests/midas_futex_page: 189 versions in 200 rounds instead of 0); the word is " +
               "read once, live, and wake-ups are keyed by address, not by frame, so nothing is lost by exempting it",
    };

    public static bool IsExempt(int number) => Reasons.ContainsKey(number);
}
