using System.CommandLine;

namespace Bulwark.Cli.Commands;

/// <summary>Value rules for options, each reported as one `bulwark: error:` line. A value the parser could
/// not convert (`--harts abc`) is left to the parser's own error: asking for it would throw.</summary>
public static class OptionRules
{
    public static void Require<T>(Option<T> option, Func<T, bool> valid, string rule)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 0) return;
            T value;
            try { value = r.GetValueOrDefault<T>(); }
            catch (InvalidOperationException) { return; }
            if (!valid(value)) r.AddError($"{option.Name} '{r.Tokens[^1].Value}' {rule}");
        });
    }
}
