using System.Globalization;
using GradDescent.Reports.Document;
using GradDescent.Storage.Reports;

namespace GradDescent.Reports;

/// <summary>The sweep's tables from the report views: ranking, learning-rate curve and trials.</summary>
public static class RankingTables
{
    /// <summary>Rows shown on the page for long tables; the CSV always has every row.</summary>
    public const int ShownRows = 40;

    public static ReportTable Ranking(SweepReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var metric = data.Definition.PrimaryMetric;
        string[] headers =
        [
            "rank", "optimizer", "best learning rate", .. (data.VaryingParameters.Count > 0 ? (string[])["best other parameters"] : []),
            $"{metric} mean ± 95% CI", "n (seeds)", $"{metric} median",
            "iterations to within 1% of best", "grid points converged", "grid points diverged", "wall time per trial (ms)",
        ];
        var rows = data.Summary.Select(r => (string[])
        [
            Numbers.Show(r.Rank), r.Optimizer, Numbers.Show(r.BestLearningRate),
            .. (data.VaryingParameters.Count > 0 ? (string[])[data.OtherParameters(r.BestParameters)] : []),
            MeanCi(r.Mean, r.Ci95HalfWidth), Numbers.Show(r.N),
            Numbers.Show(r.Median),
            r.IterationsTo1Pct is null ? Numbers.Missing : $"{Numbers.Show(r.IterationsTo1Pct)} ({r.SeedsWithin1Pct}/{r.N} seeds)",
            $"{r.GridConverged}/{r.GridPoints} ({Numbers.Percent(r.ConvergedShare)})",
            $"{r.GridDiverged}/{r.GridPoints} ({Numbers.Percent(r.DivergedShare)})",
            Numbers.Show(r.MeanDurationMs),
        ]).ToList();
        string[] csvHeaders =
        [
            "rank", "optimizer", "best_learning_rate", "n", "mean", "ci95_half_width", "ci95_low", "ci95_high", "stddev", "median",
            "iterations_to_1pct", "seeds_within_1pct", "grid_points", "grid_converged", "grid_diverged", "converged_share", "diverged_share",
            "trials", "mean_duration_ms", "best_parameters",
        ];
        var csv = data.Summary.Select(r => new[]
        {
            Numbers.Csv(r.Rank), r.Optimizer, Numbers.Csv(r.BestLearningRate), Numbers.Csv(r.N), Numbers.Csv(r.Mean), Numbers.Csv(r.Ci95HalfWidth),
            Numbers.Csv(r.Mean - r.Ci95HalfWidth), Numbers.Csv(r.Mean + r.Ci95HalfWidth), Numbers.Csv(r.StdDev), Numbers.Csv(r.Median),
            Numbers.Csv(r.IterationsTo1Pct), Numbers.Csv(r.SeedsWithin1Pct), Numbers.Csv(r.GridPoints), Numbers.Csv(r.GridConverged),
            Numbers.Csv(r.GridDiverged), Numbers.Csv(r.ConvergedShare), Numbers.Csv(r.DivergedShare), Numbers.Csv(r.Trials), Numbers.Csv(r.MeanDurationMs),
            r.BestParameters,
        }).ToList();
        return new ReportTable("ranking", headers, rows, csv) { CsvHeaders = csvHeaders };
    }

    public static ReportTable LearningRateCurve(SweepReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var metric = data.Definition.PrimaryMetric;
        var other = data.VaryingParameters.Count > 0;
        string[] headers =
        [
            "optimizer", "learning rate", .. (other ? (string[])["other parameters"] : []), "trials", "completed", "diverged", "failed",
            $"{metric} mean ± 95% CI", "median", "best",
        ];
        string[] csvHeaders =
        [
            "optimizer", "learning_rate", "trials", "completed", "diverged", "failed", "n", "mean", "stddev", "ci95_half_width", "median", "best_value",
            "mean_duration_ms", "parameters",
        ];
        var sorted = data.Curve.OrderBy(r => r.Optimizer, StringComparer.Ordinal).ThenBy(r => r.LearningRate).ThenBy(r => r.Parameters, StringComparer.Ordinal).ToList();
        var rows = sorted.Select(r => (string[])
        [
            r.Optimizer, Numbers.Show(r.LearningRate), .. (other ? (string[])[data.OtherParameters(r.Parameters)] : []), Numbers.Show(r.Trials), Numbers.Show(r.Completed), Numbers.Show(r.Diverged),
            Numbers.Show(r.Failed), MeanCi(r.Mean, r.Ci95HalfWidth), Numbers.Show(r.Median), Numbers.Show(r.BestValue),
        ]).ToList();
        var csv = sorted.Select(r => new[]
        {
            r.Optimizer, Numbers.Csv(r.LearningRate), Numbers.Csv(r.Trials), Numbers.Csv(r.Completed), Numbers.Csv(r.Diverged), Numbers.Csv(r.Failed),
            Numbers.Csv(r.N), Numbers.Csv(r.Mean), Numbers.Csv(r.StdDev), Numbers.Csv(r.Ci95HalfWidth), Numbers.Csv(r.Median),
            Numbers.Csv(r.BestValue), Numbers.Csv(r.MeanDurationMs), r.Parameters,
        }).ToList();
        return new ReportTable("learning_rate_curve", headers, rows, csv) { CsvHeaders = csvHeaders };
    }

    /// <summary>Every trial in the CSV; the page shows the best <see cref="ShownRows"/>.</summary>
    public static ReportTable Trials(SweepReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sign = data.Definition.Goal == Abstractions.Experiments.MetricGoal.Minimize ? 1 : -1;
        var metric = data.Definition.PrimaryMetric;
        string[] headers = ["trial", "optimizer", "learning rate", "seed", "status", metric, "iterations to within 1% of best", "wall time (ms)"];
        string[] csvHeaders =
            ["trial_index", "optimizer", "learning_rate", "seed", "status", "primary_metric", "iterations_to_1pct", "diverged_at_step", "duration_ms", "parameters"];
        var shown = data.Trials.Where(t => t.PrimaryMetric is not null && t.Status == "completed")
            .OrderBy(t => t.PrimaryMetric!.Value * sign).ThenBy(t => t.TrialIndex).Take(ShownRows)
            .Select(t => new[]
            {
                Numbers.Show(t.TrialIndex), t.Optimizer, Numbers.Show(t.LearningRate), t.Seed.ToString(CultureInfo.InvariantCulture), t.Status,
                Numbers.Show(t.PrimaryMetric), t.IterationsTo1Pct?.ToString(CultureInfo.InvariantCulture) ?? Numbers.Missing, Numbers.Show(t.DurationMs),
            }).ToList();
        var csv = data.Trials.Select(t => new[]
        {
            Numbers.Csv(t.TrialIndex), t.Optimizer, Numbers.Csv(t.LearningRate), t.Seed.ToString(CultureInfo.InvariantCulture), t.Status,
            Numbers.Csv(t.PrimaryMetric), t.IterationsTo1Pct?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            t.DivergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, Numbers.Csv(t.DurationMs), t.Parameters,
        }).ToList();
        return new ReportTable("trials", headers, shown, csv) { CsvHeaders = csvHeaders };
    }

    public static string MeanCi(double? mean, double? halfWidth) =>
        mean is null ? Numbers.Missing : halfWidth is null ? Numbers.Show(mean) : $"{Numbers.Show(mean)} ± {Numbers.Show(halfWidth)}";

    /// <summary>
    /// Names the winner and says whether its lead over the runner-up exceeds the noise across seeds. Rule: the two
    /// optimizers' 95% Student-t confidence intervals (at their best learning rates) do not overlap.
    /// </summary>
    public static string Verdict(SweepReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var metric = data.Definition.PrimaryMetric;
        var better = data.Definition.Goal == Abstractions.Experiments.MetricGoal.Minimize ? "lower" : "higher";
        var ranked = data.Summary.Where(r => r.N > 0).ToList();
        if (ranked.Count == 0)
        {
            return "No trial completed, so no optimizer can be ranked.";
        }

        var winner = ranked[0];
        var text = $"Winner: {winner.Optimizer} at learning rate {Numbers.Show(winner.BestLearningRate)}, {metric} {Describe(winner)} ({better} is better).";
        if (ranked.Count == 1)
        {
            return text + " It is the only optimizer in this sweep.";
        }

        var runnerUp = ranked[1];
        text += $" Runner-up: {runnerUp.Optimizer} at learning rate {Numbers.Show(runnerUp.BestLearningRate)}, {Describe(runnerUp)}.";
        if (winner.Ci95HalfWidth is not { } a || runnerUp.Ci95HalfWidth is not { } b)
        {
            return text + " With a single seed per configuration the noise across seeds cannot be judged (rule: non-overlapping 95% confidence intervals).";
        }

        var gap = Math.Abs(winner.Mean!.Value - runnerUp.Mean!.Value);
        text += $" Lead: {Numbers.Show(gap)}{(runnerUp.Mean.Value != 0 ? $" ({Numbers.Show(100 * gap / Math.Abs(runnerUp.Mean.Value))}%)" : string.Empty)}.";
        if (winner.StdDev == 0 && runnerUp.StdDev == 0)
        {
            text += " Every seed gave the same value for both (these settings are deterministic), so there is no noise across seeds to compare with.";
        }

        var overlap = gap <= a + b;
        return text + (overlap
            ? " Their 95% confidence intervals overlap: the difference is NOT larger than the noise across seeds (rule: non-overlapping 95% Student-t confidence intervals)."
            : " Their 95% confidence intervals do not overlap: the difference is larger than the noise across seeds (rule: non-overlapping 95% Student-t confidence intervals).");
    }

    private static string Describe(OptimizerSummaryRow row) =>
        $"{MeanCi(row.Mean, row.Ci95HalfWidth)} (mean ± 95% CI over {row.N} seed{(row.N == 1 ? string.Empty : "s")})";
}
