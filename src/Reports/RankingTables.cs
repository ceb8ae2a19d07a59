using System.Globalization;
using GradDescent.Abstractions.Storage;
using GradDescent.Reports.Analysis;
using GradDescent.Reports.Document;
using GradDescent.Storage;
using GradDescent.Storage.Reports;

namespace GradDescent.Reports;

/// <summary>The sweep's tables from a <see cref="SweepComparison"/>: the ranking (per group and overall), the configurations and the trials.</summary>
public static class RankingTables
{
    /// <summary>Rows shown on the page for long tables; the CSV always has every row.</summary>
    public const int ShownRows = 40;

    /// <summary>One group's contenders (one-group sweeps: <c>ranking</c>; else every group's in <c>ranking_by_group</c>).</summary>
    public static ReportTable Ranking(SweepComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var metric = comparison.Definition.PrimaryMetric;
        var known = comparison.Configurations.Any(c => c.Row.OptimumKnown);
        var multi = comparison.MultiGroup;
        string[] headers =
        [
            .. multi ? comparison.ProblemAxes.Select(a => a.Name) : [],
            "rank", .. ContenderHeaders(comparison), .. comparison.TuningAxes.Select(a => $"best {a.Name.Replace('_', ' ')}"),
            $"{metric} mean ± 95% CI", "n (seeds)", $"{metric} median", known ? "gap to the optimum" : "gap to the sweep's best",
            "iterations to within 1% of the optimum", "settings converged", "settings diverged", "wall time per trial (ms)",
        ];
        string[] csvHeaders =
        [
            .. comparison.ProblemAxes.Select(a => a.Name), "group", "rank", .. comparison.ContenderAxes.Select(a => a.Name), "contender",
            .. comparison.TuningAxes.Select(a => $"best_{a.Name}"), "n", "mean", "ci95_half_width", "ci95_low", "ci95_high", "stddev", "median",
            "optimum", "optimum_known", "gap", "iterations_to_1pct", "seeds_within_1pct", "grid_points", "grid_converged", "grid_diverged",
            "converged_share", "diverged_share", "trials", "mean_duration_ms", "best_parameters",
        ];
        var rows = new List<string[]>();
        var csv = new List<string[]>();
        foreach (var group in comparison.Groups)
        {
            foreach (var c in group.Contenders)
            {
                var row = c.Row;
                var best = c.Best;
                var gap = row is { Mean: { } mean, Optimum: { } optimum } ? (mean - optimum) * comparison.Sign : (double?)null;
                rows.Add(
                [
                    .. multi ? comparison.ProblemAxes.Select(a => group.Values.GetValueOrDefault(a.Name, SweepAxes.Absent)) : [],
                    c.Rank is { } rank ? Numbers.Show(rank) : Numbers.Missing, .. ContenderCells(comparison, c.Contender, best),
                    .. comparison.TuningAxes.Select(a => best is null ? Numbers.Missing : Numbers.ShowText(best.ValueOf(a.Name))),
                    MeanCi(row?.Mean, row?.Ci95HalfWidth), Numbers.Show(row?.N ?? 0), Numbers.Show(row?.Median),
                    gap is { } g && row!.Optimum is { } o && o != 0 ? $"{Numbers.Show(g)} ({Numbers.Show(100 * g / Math.Abs(o))}%)" : Numbers.Show(gap),
                    c.IterationsToOptimum is null ? Numbers.Missing : $"{Numbers.Show(c.IterationsToOptimum)} ({c.SeedsWithinOptimum}/{row?.N} seeds)",
                    $"{c.ConvergedConfigurations}/{c.Configurations} ({Numbers.Percent(Share(c.ConvergedConfigurations, c.Configurations))})",
                    $"{c.DivergedConfigurations}/{c.Configurations} ({Numbers.Percent(Share(c.DivergedConfigurations, c.Configurations))})",
                    Numbers.Show(c.MeanDurationMs),
                ]);
                csv.Add(
                [
                    .. comparison.ProblemAxes.Select(a => group.Values.GetValueOrDefault(a.Name, string.Empty)), group.Group,
                    c.Rank is { } r ? Numbers.Csv(r) : string.Empty,
                    .. comparison.ContenderAxes.Select(a => best?.ValueOf(a.Name) ?? string.Empty), c.Contender,
                    .. comparison.TuningAxes.Select(a => best?.ValueOf(a.Name) ?? string.Empty),
                    Numbers.Csv(row?.N ?? 0), Numbers.Csv(row?.Mean), Numbers.Csv(row?.Ci95HalfWidth), Numbers.Csv(row?.Mean - row?.Ci95HalfWidth),
                    Numbers.Csv(row?.Mean + row?.Ci95HalfWidth), Numbers.Csv(row?.StdDev), Numbers.Csv(row?.Median), Numbers.Csv(row?.Optimum),
                    row is null ? string.Empty : row.OptimumKnown ? "true" : "false", Numbers.Csv(gap),
                    Numbers.Csv(c.IterationsToOptimum), Numbers.Csv(c.SeedsWithinOptimum), Numbers.Csv(c.Configurations), Numbers.Csv(c.ConvergedConfigurations),
                    Numbers.Csv(c.DivergedConfigurations), Numbers.Csv(Share(c.ConvergedConfigurations, c.Configurations)),
                    Numbers.Csv(Share(c.DivergedConfigurations, c.Configurations)), Numbers.Csv(c.Trials), Numbers.Csv(c.MeanDurationMs),
                    row?.Parameters ?? string.Empty,
                ]);
            }
        }

        return new ReportTable(multi ? "ranking_by_group" : "ranking", headers, rows, csv) { CsvHeaders = csvHeaders };
    }

    /// <summary>Across groups: each contender's rank in every group, and its mean rank over the complete ones (<c>ranking</c>).</summary>
    public static ReportTable Overall(SweepComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var groups = comparison.Groups;
        string[] headers =
        [
            "rank", .. ContenderHeaders(comparison), "mean rank ± 95% CI", "first places", .. groups.Select(g => g.Complete ? g.Group : $"{g.Group} (incomplete)"),
        ];
        string[] csvHeaders = ["rank", .. comparison.ContenderAxes.Select(a => a.Name), "contender", "mean_rank", "ci95_half_width", "groups", "first_places", .. groups.Select(g => $"rank {g.Group}")];
        var rows = comparison.Overall.Select(o => (string[])
        [
            o.Rank is { } rank ? Numbers.Show(rank) : Numbers.Missing, .. ContenderCells(comparison, o.Contender, FirstBest(comparison, o.Contender)),
            MeanCi(o.MeanRank, o.Ci95HalfWidth), $"{o.FirstPlaces} of {o.Groups}",
            .. groups.Select(g => g.Find(o.Contender) is { Rank: { } r } c ? $"{r} ({Numbers.Show(c.Mean)})" : Numbers.Missing),
        ]).ToList();
        var csv = comparison.Overall.Select(o => (string[])
        [
            o.Rank is { } rank ? Numbers.Csv(rank) : string.Empty,
            .. comparison.ContenderAxes.Select(a => FirstBest(comparison, o.Contender)?.ValueOf(a.Name) ?? string.Empty), o.Contender,
            Numbers.Csv(o.MeanRank), Numbers.Csv(o.Ci95HalfWidth), Numbers.Csv(o.Groups), Numbers.Csv(o.FirstPlaces),
            .. groups.Select(g => g.Find(o.Contender)?.Rank is { } r ? Numbers.Csv(r) : string.Empty),
        ]).ToList();
        return new ReportTable("ranking", headers, rows, csv) { CsvHeaders = csvHeaders };
    }

    /// <summary>Every configuration (the <c>learning_rate_curve</c> view: one row per distinct parameter set), in axis order.</summary>
    public static ReportTable Configurations(SweepComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var metric = comparison.Definition.PrimaryMetric;
        string[] headers =
        [
            .. comparison.Axes.Select(a => a.Name.Replace('_', ' ')), "trials", "completed", "converged", "diverged", "failed", "pruned", $"{metric} mean ± 95% CI", "median", "best",
        ];
        var fixedColumns = FixedColumns(comparison);
        string[] csvHeaders =
        [
            .. comparison.Axes.Select(a => a.Name), .. fixedColumns, "trials", "completed", "converged", "diverged", "failed", "pruned", "n", "mean", "stddev",
            "ci95_half_width", "median", "min_value", "max_value", "best_value", "optimum", "mean_duration_ms", "parameters",
        ];
        var rows = comparison.Configurations.Select(c => (string[])
        [
            .. comparison.Axes.Select(a => Numbers.ShowText(c.ValueOf(a.Name))), Numbers.Show(c.Row.Trials), Numbers.Show(c.Row.Completed), Numbers.Show(c.Row.Converged),
            Numbers.Show(c.Row.Diverged), Numbers.Show(c.Row.Failed), Numbers.Show(c.Row.Pruned), MeanCi(c.Row.Mean, c.Row.Ci95HalfWidth), Numbers.Show(c.Row.Median), Numbers.Show(c.Row.BestValue),
        ]).ToList();
        var csv = comparison.Configurations.Select(c => (string[])
        [
            .. comparison.Axes.Select(a => c.ValueOf(a.Name)), .. FixedCells(fixedColumns, c.Row.Optimizer, c.Row.LearningRate), Numbers.Csv(c.Row.Trials), Numbers.Csv(c.Row.Completed),
            Numbers.Csv(c.Row.Converged), Numbers.Csv(c.Row.Diverged), Numbers.Csv(c.Row.Failed), Numbers.Csv(c.Row.Pruned), Numbers.Csv(c.Row.N), Numbers.Csv(c.Row.Mean), Numbers.Csv(c.Row.StdDev),
            Numbers.Csv(c.Row.Ci95HalfWidth), Numbers.Csv(c.Row.Median), Numbers.Csv(c.Row.MinValue), Numbers.Csv(c.Row.MaxValue), Numbers.Csv(c.Row.BestValue),
            Numbers.Csv(c.Row.Optimum), Numbers.Csv(c.Row.MeanDurationMs), c.Row.Parameters,
        ]).ToList();
        return new ReportTable("learning_rate_curve", headers, rows, csv) { CsvHeaders = csvHeaders };
    }

    /// <summary>
    /// Writes every trial to <paramref name="csvPath"/> as it is read from the store (view <c>trial_convergence</c>, by
    /// trial index: a million-trial sweep is never held) and returns the table the page shows, the best
    /// <see cref="ShownRows"/> completed trials. A report does this in its one pass over the trials
    /// (<see cref="SweepComparison.LoadAsync(IResultStore, SweepRecord, string?, CancellationToken)"/>).
    /// </summary>
    public static async Task<ReportTable> WriteTrialsAsync(IResultStore store, SweepComparison comparison, string csvPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(comparison);
        await using var writer = await TrialsCsvWriter.CreateAsync(csvPath, comparison.Axes, comparison.Definition.PrimaryMetric, comparison.Sign, cancellationToken).ConfigureAwait(false);
        await foreach (var trial in ReportViews.TrialConvergenceStreamAsync(store, comparison.Sweep.Id, cancellationToken).ConfigureAwait(false))
        {
            await writer.AddAsync(trial, cancellationToken).ConfigureAwait(false);
        }

        return writer.Shown();
    }

    public static string MeanCi(double? mean, double? halfWidth) =>
        mean is null ? Numbers.Missing : halfWidth is null or 0 ? Numbers.Show(mean) : $"{Numbers.Show(mean)} ± {Numbers.Show(halfWidth)}";

    private static IEnumerable<string> ContenderHeaders(SweepComparison comparison) =>
        comparison.ContenderAxes.Count == 0 ? ["contender"] : comparison.ContenderAxes.Select(a => a.Name.Replace('_', ' '));

    private static IEnumerable<string> ContenderCells(SweepComparison comparison, string contender, ConfigurationResult? best) =>
        comparison.ContenderAxes.Count == 0 ? [contender] : comparison.ContenderAxes.Select(a => best is null ? contender.Split(" / ")[comparison.ContenderAxes.ToList().IndexOf(a)] : Numbers.ShowText(best.ValueOf(a.Name)));

    private static ConfigurationResult? FirstBest(SweepComparison comparison, string contender) =>
        comparison.Configurations.FirstOrDefault(c => c.Contender == contender);

    /// <summary>The <c>optimizer</c> and <c>learning_rate</c> columns every CSV keeps, unless they are swept axes (then they are there already).</summary>
    private static string[] FixedColumns(SweepComparison comparison) =>
        [.. new[] { "optimizer", "learning_rate" }.Where(c => comparison.Axes.All(a => a.Name != c))];

    private static IEnumerable<string> FixedCells(string[] columns, string optimizer, double? learningRate) =>
        columns.Select(c => c == "optimizer" ? optimizer : Numbers.Csv(learningRate));

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;
}
