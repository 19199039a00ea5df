using System.CommandLine;

namespace Bulwark.Cli.Commands;

/// <summary>`bulwark run [options] PROGRAM [ARGS...]`: everything after the program belongs to the
/// guest, even tokens that look like options. This inserts "--" before the guest's arguments so
/// the parser leaves them alone.</summary>
public static class GuestArguments
{
    public static string[] Separate(RootCommand root, string[] args)
    {
        if (args.Length == 0) return args;
        // Only `run` takes the guest's arguments verbatim; `explore` puts its options after them.
        var command = root.Subcommands.FirstOrDefault(c => c.Name == args[0]);
        if (command == null || command.Name != "run") return args;
        for (int i = 1; i < args.Length; i++)
        {
            string token = args[i];
            if (token == "--") return args;
            if (token.StartsWith('-') && token.Length > 1)
            {
                var option = command.Options.FirstOrDefault(o => o.Name == token || o.Aliases.Contains(token));
                bool takesValue = option != null && option.ValueType != typeof(bool) && option.Arity.MaximumNumberOfValues > 0;
                if (takesValue && !token.Contains('=')) i++;
                continue;
            }
            return [.. args[..(i + 1)], "--", .. args[(i + 1)..]];
        }
        return args;
    }
}
