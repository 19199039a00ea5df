namespace Bulwark.Cli.Commands;

/// <summary>Files a command will write when it ends (a schedule, a report): checked before the run
/// starts, so a typo in a directory does not cost the whole run.</summary>
public static class OutputFiles
{
    public static void CheckWritable(string path, string option)
    {
        if (Directory.Exists(path)) throw new OutputFileException($"{option} {path}: is a directory");
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory != null && !Directory.Exists(directory))
            throw new OutputFileException($"{option} {path}: directory {directory} does not exist");
    }
}

public sealed class OutputFileException(string message) : Exception(message);
