using GradDescent.Reports.Analysis;
using GradDescent.Reports.Document;

namespace GradDescent.Reports;

/// <summary>Rank of every contender in each sweep of a family (columns: sweeps, each its overall rank), with the mean rank.</summary>
public static class CrossExperimentTable
{
    public static ReportTable Build(IReadOnlyList<SweepComparison> sweeps)
    {
        ArgumentNullException.ThrowIfNull(sweeps);
        var contenders = sweeps.SelectMany(s => s.Overall.Select(r => r.Contender)).Distinct().ToList();
        var ranks = contenders.ToDictionary(
            c => c,
            c => sweeps.Select(s => s.Overall.FirstOrDefault(r => r.Contender == c)?.Rank).ToArray());
        var meanRank = contenders.ToDictionary(c => c, c => ranks[c].Where(r => r is not null).Select(r => (double)r!.Value).DefaultIfEmpty(double.NaN).Average());
        var ordered = contenders.OrderBy(c => double.IsNaN(meanRank[c]) ? double.MaxValue : meanRank[c]).ThenBy(c => c, StringComparer.Ordinal).ToList();
        List<string> headers = ["contender", .. sweeps.Select(s => $"{s.Sweep.Name} ({s.Definition.Name}, by {s.ContenderKind})"), "mean rank"];
        var rows = ordered.Select(c => (string[])[c, .. ranks[c].Select(r => r is null ? Numbers.Missing : Numbers.Show(r.Value)), Numbers.Show(meanRank[c])]).ToList();
        var csv = ordered.Select(c => (string[])[c, .. ranks[c].Select(r => r is null ? string.Empty : Numbers.Csv(r.Value)), Numbers.Csv(double.IsNaN(meanRank[c]) ? null : meanRank[c])]).ToList();
        return new ReportTable("cross_experiment", headers, rows, csv)
        {
            CsvHeaders = ["contender", .. sweeps.Select(s => s.Sweep.Id), "mean_rank"],
        };
    }
}
