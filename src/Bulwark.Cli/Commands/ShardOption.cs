using System.CommandLine;
using Bulwark.Lab.Exploration;

namespace Bulwark.Cli.Commands;

/// <summary>`--shard I/N` of explore and eval: a bad value is one error line before anything runs.</summary>
public static class ShardOption
{
    public static Option<string?> Create(string description)
    {
        var option = new Option<string?>("--shard") { HelpName = "I/N", Description = description };
        OptionRules.Require(option, s => s == null || Shard.TryParse(s, out _), "is not I/N with 0 <= I < N (shards count from 0)");
        return option;
    }

    /// <summary>The shard given, or the whole run.</summary>
    public static Shard Read(ParseResult p, Option<string?> option) =>
        p.GetValue(option) is { } text && Shard.TryParse(text, out var shard) ? shard : Shard.Whole;
}
