using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Corpora;

/// <summary>What the real s3k kernel printed on qemu-system-riscv64 for each course project: the first 100
/// lines, recorded by tests/corpora/record-s3k-qemu.sh into tests/corpora/s3k-qemu (carriage returns
/// removed). Shared by the tests of the real kernel on the system board and of the C# kernel.</summary>
public static class S3kOracle
{
    public static string Console(string project) =>
        File.ReadAllText(Path.Combine(GuestCase.RepositoryPath("tests", "corpora", "s3k-qemu"), project + ".txt"));

    /// <summary>A console as the oracle stores it: no carriage returns.</summary>
    public static string Normalize(string console) => console.Replace("\r", "");

    public const string BootDone = "# starting boot process\n";

    /// <summary>The kernel's boot lines, up to and including "# starting boot process".</summary>
    public static string Boot(string console) => console[..(console.IndexOf(BootDone, StringComparison.Ordinal) + BootDone.Length)];

    /// <summary>Whether <paramref name="s"/> is <paramref name="a"/> and <paramref name="b"/> interleaved
    /// character by character, each in order (two harts printing at once).</summary>
    public static bool IsInterleaving(string s, string a, string b)
    {
        if (s.Length != a.Length + b.Length) return false;
        var can = new bool[a.Length + 1, b.Length + 1];
        can[0, 0] = true;
        for (int i = 0; i <= a.Length; i++)
            for (int j = 0; j <= b.Length; j++)
            {
                if (i > 0 && can[i - 1, j] && a[i - 1] == s[i + j - 1]) can[i, j] = true;
                if (j > 0 && can[i, j - 1] && b[j - 1] == s[i + j - 1]) can[i, j] = true;
            }
        return can[a.Length, b.Length];
    }
}
