namespace Bulwark.Cli.Report;

/// <summary>What the eval's sections hand to the report as they finish: each table is printed on stdout
/// at once and kept for the page; each figure is drawn into the output directory and kept.</summary>
public sealed class ReportParts(string directory)
{
    public List<ReportTable> Tables { get; } = [];
    public List<Figure> Figures { get; } = [];

    public void Show(ReportTable table)
    {
        TextTables.Print(table);
        Tables.Add(table);
    }

    public void Plot(Figure figure, Action<string> draw)
    {
        draw(Path.Combine(directory, figure.File));
        Figures.Add(figure);
    }
}
