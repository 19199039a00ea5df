namespace Bulwark.Cli.Commands;

public static class Sizes
{
    /// <summary>Parses "64M", "1G", "512K" or a plain byte count.</summary>
    public static bool TryParse(string text, out ulong bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        ulong multiplier = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1UL << 10,
            'M' => 1UL << 20,
            'G' => 1UL << 30,
            _ => 1,
        };
        string digits = multiplier == 1 ? text : text[..^1];
        if (!ulong.TryParse(digits, out ulong value) || value == 0 || value > (64UL << 30) / multiplier) return false;
        bytes = value * multiplier;
        return true;
    }

    /// <summary>A size an option rule has already accepted.</summary>
    public static ulong Parse(string text) => TryParse(text, out ulong bytes) ? bytes : throw new FormatException($"'{text}' is not a size");

    /// <summary>The shortest text <see cref="TryParse"/> reads back as <paramref name="bytes"/>.</summary>
    public static string Format(ulong bytes) =>
        bytes % (1UL << 30) == 0 ? $"{bytes >> 30}G"
        : bytes % (1UL << 20) == 0 ? $"{bytes >> 20}M"
        : bytes % (1UL << 10) == 0 ? $"{bytes >> 10}K"
        : bytes.ToString();
}
