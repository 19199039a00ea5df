using System.CommandLine;
using System.Text.RegularExpressions;

namespace Bulwark.Cli.Commands;

/// <summary>Value rules for options, each reported as one `bulwark: error:` line. A value the parser could
/// not convert (`--harts abc`) is left to the parser's own error: asking for it would throw.</summary>
public static partial class OptionRules
{
    /// <summary>The parser's message for a value it could not convert, in the words of the other rules
    /// (it names .NET types: "as expected type 'System.Nullable`1[System.Int64]'").</summary>
    public static string Explain(string parserMessage)
    {
        var m = Unconvertible().Match(parserMessage);
        if (!m.Success) return parserMessage;
        string kind = m.Groups["type"].Value switch
        {
            var t when t.Contains("UInt") => "a whole number of 0 or more",
            var t when t.Contains("Int") => "a whole number",
            var t when t.Contains("Double") => "a number",
            _ => "a value of the right kind",
        };
        return $"{m.Groups["option"].Value} '{m.Groups["value"].Value}' is not {kind}";
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?$")]
    private static partial Regex Unconvertible();

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
