using Bulwark.Cli.Report;

namespace Bulwark.Cli.Commands;

/// <summary>Turns the complete results of an eval (run on one machine, or merged from its shards) into the
/// report: the tables on stdout, the plots, results.json and index.html in the output directory. Every
/// verdict is computed here from the results, so a merged report judges exactly as a whole run does.</summary>
public static class EvalReport
{
    /// <summary>Writes the report; the status is 1 when something did not come out as the design says (or a
    /// benchmark run failed), else 0.</summary>
    public static int Write(EvalResults results, string output)
    {
        var parts = new ReportParts(output);
        var s = results.Settings;
        bool good = true;
        if (results.Attacks != null) good &= DoubleFetchEvalSection.ShowAttacks(results.Attacks, s.Budget, parts);
        if (results.MidasCosts != null) good &= DoubleFetchEvalSection.ShowCosts(results.MidasCosts, s.Runs, parts);
        if (results is { PasswordAttacks: { } attacks, PasswordCosts: { } costs, Entropy: { } entropy })
            good &= PasswordEvalSection.Show(attacks, costs, entropy, s, parts);
        if (results.Revocation != null) good &= RevocationTable.Show(results.Revocation, s.RevocationBudget, parts);
        var complete = results with { Tables = parts.Tables, Figures = parts.Figures };
        ResultsJson.Write(complete, output);
        HtmlReport.Write(complete, output);
        Console.WriteLine();
        TextTables.Lines($"Report: {HtmlReport.FileName}, {ResultsJson.FileName} and {parts.Figures.Count} plots in");
        Console.WriteLine(Path.GetFullPath(output));
        return good ? 0 : 1;
    }
}
