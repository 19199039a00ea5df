namespace Bulwark.Cli.Commands;

/// <summary>Words of a command line printed for a user to paste into a POSIX shell.</summary>
public static class Shell
{
    /// <summary>The word as is when the shell would read it back unchanged, else in single quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
