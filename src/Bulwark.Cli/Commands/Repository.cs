namespace Bulwark.Cli.Commands;

/// <summary>Finds the repository's bundled guests when `bulwark` runs from its build output (or from
/// the repository root).</summary>
public static class Repository
{
    /// <summary>The first existing file or directory at <paramref name="parts"/> under the binaries'
    /// directory or one of its parents, else under the working directory; null if there is none.</summary>
    public static string? Find(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine([dir.FullName, .. parts]);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        string fromCwd = Path.Combine([Environment.CurrentDirectory, .. parts]);
        return File.Exists(fromCwd) || Directory.Exists(fromCwd) ? fromCwd : null;
    }
}
