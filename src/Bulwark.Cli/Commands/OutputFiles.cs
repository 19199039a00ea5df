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

    /// <summary>The directory a report goes into, made if it is not there.</summary>
    public static void CreateDirectory(string path)
    {
        try { Directory.CreateDirectory(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new OutputFileException($"{path}: cannot create the report directory ({e.Message})"); }
    }
}

public sealed class OutputFileException(string message) : Exception(message);
