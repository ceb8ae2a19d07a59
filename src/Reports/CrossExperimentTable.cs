using GradDescent.Reports.Document;

namespace GradDescent.Reports;

/// <summary>Rank of every optimizer in each sweep of a family (columns: sweeps), with the mean rank.</summary>
public static class CrossExperimentTable
{
    public static ReportTable Build(IReadOnlyList<SweepReportData> sweeps)
    {
        ArgumentNullException.ThrowIfNull(sweeps);
        var optimizers = sweeps.SelectMany(s => s.Summary.Select(r => r.Optimizer)).Distinct().ToList();
        var ranks = optimizers.ToDictionary(
            o => o,
            o => sweeps.Select(s => s.Summary.FirstOrDefault(r => r.Optimizer == o && r.N > 0)?.Rank).ToArray());
        var meanRank = optimizers.ToDictionary(o => o, o => ranks[o].Where(r => r is not null).Select(r => (double)r!.Value).DefaultIfEmpty(double.NaN).Average());
        var ordered = optimizers.OrderBy(o => double.IsNaN(meanRank[o]) ? double.MaxValue : meanRank[o]).ThenBy(o => o, StringComparer.Ordinal).ToList();
        List<string> headers = ["optimizer", .. sweeps.Select(s => $"{s.Sweep.Name} ({s.Definition.Name})"), "mean rank"];
        var rows = ordered.Select(o => (string[])[o, .. ranks[o].Select(r => r is null ? Numbers.Missing : Numbers.Show(r.Value)), Numbers.Show(meanRank[o])]).ToList();
        var csv = ordered.Select(o => (string[])[o, .. ranks[o].Select(r => r is null ? string.Empty : Numbers.Csv(r.Value)), Numbers.Csv(double.IsNaN(meanRank[o]) ? null : meanRank[o])]).ToList();
        return new ReportTable("cross_experiment", headers, rows, csv)
        {
            CsvHeaders = ["optimizer", .. sweeps.Select(s => s.Sweep.Id), "mean_rank"],
        };
    }
}
