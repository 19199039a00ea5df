namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>What the throttle knows of one user id.</summary>
public sealed class UserRecord(uint uid)
{
    public uint Uid { get; } = uid;
    /// <summary>Failed checks and shared-part faults counted against this user (its own, and those blamed on it).</summary>
    public long Faults { get; internal set; }
    /// <summary>Of <see cref="Faults"/>: another user's process tripped over a pointer this user planted.</summary>
    public long Blamed { get; internal set; }
    public long Delays { get; internal set; }
    public ulong DelayNs { get; internal set; }
    /// <summary>The recent-fault score: +1 per fault, halving every <see cref="BruteForceThrottle.HalfLifeNs"/>.</summary>
    internal double Score;
    internal ulong ScoreAtNs;
}

/// <summary>Brute-force throttling with a scope larger than a process: the seed's answer to probers that
/// fork. Every fault counted against a user raises that user's score (decaying over virtual time), and
/// the faulting thread then waits, off its hart, for
/// <code>delay = BaseDelayNs * score^2   (capped at MaxDelayNs)</code>
/// after the decayed score is incremented. A lone fault costs 10 µs; a user faulting continuously
/// reaches the steady state where score^3 ≈ HalfLife / (ln 2 · BaseDelay), about 24, i.e. ~6 ms per
/// fault, and a fresh process of that user inherits it. Correct programs, which do not fault, never wait.</summary>
public sealed class BruteForceThrottle(bool enabled)
{
    public const ulong HalfLifeNs = 100_000_000;
    public const ulong BaseDelayNs = 10_000;
    public const ulong MaxDelayNs = 1_000_000_000;

    private readonly SortedDictionary<uint, UserRecord> _users = [];

    public bool Enabled { get; } = enabled;
    public IEnumerable<UserRecord> Users => _users.Values;

    public UserRecord User(uint uid)
    {
        if (!_users.TryGetValue(uid, out var record)) _users[uid] = record = new UserRecord(uid);
        return record;
    }

    /// <summary>Counts one fault against <paramref name="uid"/> at <paramref name="nowNs"/>; returns the delay
    /// (0 when throttling is off).</summary>
    public ulong Fault(uint uid, ulong nowNs, bool blamed = false)
    {
        var user = User(uid);
        user.Faults++;
        if (blamed) user.Blamed++;
        user.Score = DecayedScore(user, nowNs) + 1;
        user.ScoreAtNs = nowNs;
        if (!Enabled) return 0;
        double delay = BaseDelayNs * user.Score * user.Score;
        ulong ns = delay >= MaxDelayNs ? MaxDelayNs : (ulong)delay;
        user.Delays++;
        user.DelayNs += ns;
        return ns;
    }

    public double ScoreOf(uint uid, ulong nowNs) => _users.TryGetValue(uid, out var u) ? DecayedScore(u, nowNs) : 0;

    private static double DecayedScore(UserRecord user, ulong nowNs) =>
        user.Score == 0 ? 0 : user.Score * Math.Pow(2, -(double)(nowNs - user.ScoreAtNs) / HalfLifeNs);
}
