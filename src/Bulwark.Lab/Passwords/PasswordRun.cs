using System.Text;
using Bulwark.Kernel;
using Bulwark.Kernel.Protections.Passwords;

namespace Bulwark.Lab.Passwords;

/// <summary>One run of a password-lab guest (lab/passwords/NAME.elf) under a shared-part protection,
/// with what the evaluation and the tests read from it.</summary>
public sealed record PasswordRun(int Status, string Stdout, string Stderr, long Instructions, ulong VirtualNs, SharedSegments Shared)
{
    public static PasswordRun Of(string elf, string[] args, SharedProtectionMode mode, ulong seed = 0, int harts = 2,
        bool throttling = true, int addressBits = SharedLayout.MaxAddressBits, long maxInstructions = 500_000_000)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var kernel = new KernelCore(new KernelOptions
        {
            Harts = harts,
            Seed = seed,
            MaxInstructions = maxInstructions,
            Stdout = stdout,
            Stderr = stderr,
            SharedProtection = mode,
            SharedAddressBits = addressBits,
            Throttling = throttling,
        });
        var result = kernel.Run(elf, [elf, .. args]);
        string errors = Encoding.UTF8.GetString(stderr.ToArray()) + (result.Message is { } m ? m + "\n" : "");
        return new PasswordRun(result.ExitStatus, Encoding.UTF8.GetString(stdout.ToArray()), errors, kernel.Stats.Instructions, kernel.NowNs, kernel.Shared);
    }

    /// <summary>The attack guests print one line starting with "ATTACK SUCCEEDED" or "attack failed".</summary>
    public bool AttackSucceeded => Stdout.Contains("ATTACK SUCCEEDED", StringComparison.Ordinal);
    public bool AttackFailed => Stdout.Contains("attack failed", StringComparison.Ordinal);

    public UserRecord User(uint uid) => Shared.Throttle.User(uid);

    public long FailedChecks => (Shared.Far?.ChecksFailed ?? 0) + Shared.Stats.LibraryChecksFailed;
}
