using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Storage;
using GradDescent.Reports.Charts;
using GradDescent.Reports.Document;
using GradDescent.Reports.Experiments;
using GradDescent.Storage;
using GradDescent.Storage.Reports;
using GradDescent.Sweeps;

namespace GradDescent.Reports;

/// <summary>Writes one sweep's files (CSV, PNG, GIF) into the report folder and adds its blocks to the page.</summary>
public static class SweepSection
{
    /// <summary>Optimizers whose best runs are plotted (best ranks first).</summary>
    public const int PlottedOptimizers = 11;

    /// <summary>Optimizers whose best runs are animated (best ranks first).</summary>
    public const int AnimatedOptimizers = 3;

    public static async Task WriteAsync(
        IResultStore store, SweepReportData data, ReportPage page, string folder, string prefix, FileGate files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(page);
        var sweep = data.Sweep;
        var definition = data.Definition;
        page.Add(new HeadingBlock(2, $"Sweep {sweep.Id}"));
        page.Add(new ParagraphBlock(
            $"{sweep.Name}: {definition.Name}, {data.Trials.Count} of {sweep.TotalTrials} trials stored ({data.Trials.Count(t => t.Status == "completed")} completed, {data.Trials.Count(t => t.Status == "diverged")} diverged, {data.Trials.Count(t => t.Status == "failed")} failed{(data.Trials.Count(t => t.Status == "pruned") is > 0 and var pruned ? $", {pruned} pruned" : string.Empty)}), status {sweep.Status.ToString().ToLowerInvariant()}. Ranked by final {definition.PrimaryMetric}, {(definition.Goal == MetricGoal.Minimize ? "lower" : "higher")} is better."));
        if (Description(sweep) is { } description)
        {
            page.Add(new ParagraphBlock($"Description: {description}"));
        }

        page.Add(new ParagraphBlock(RankingTables.Verdict(data), Strong: true));

        page.Add(new HeadingBlock(3, "Ranking of optimizers (each at its best configuration)"));
        AddTable(page, folder, prefix, RankingTables.Ranking(data),
            "Best configuration (learning rate and any other swept parameters): the one with the best mean over seeds among those where every seed completed; a grid point is one configuration. CI: Student t over seeds. Iterations: first step within 1% of the sweep's best final value, mean over the seeds that got there. Same numbers: SELECT * FROM optimizer_summary WHERE sweep_id = '" + sweep.Id + "'.");

        page.Add(new HeadingBlock(3, "Charts"));
        page.Add(OptimizerCharts.Curves(data, folder, prefix));
        page.Add(OptimizerCharts.FinalByLearningRate(data, folder, prefix));
        page.Add(OptimizerCharts.Heatmap(data, folder, prefix));

        switch (definition.Name)
        {
            case LinearRegressionDefinition.Name:
                page.Add(new HeadingBlock(3, "The fits (article Example 1)"));
                foreach (var best in data.BestTrials.Take(AnimatedOptimizers))
                {
                    foreach (var block in LinearRegressionFigures.Build(best, folder, prefix, animate: true, files))
                    {
                        page.Add(block);
                    }
                }

                break;
            case VectorSpreadDefinition.Name:
                page.Add(new HeadingBlock(3, "Vector spread (article Example 2)"));
                foreach (var block in VectorSpreadFigures.Build(data, folder, prefix))
                {
                    page.Add(block);
                }

                var shapes = await ReportViews.SpreadShapesAsync(store, sweep.Id, cancellationToken).ConfigureAwait(false);
                AddTable(page, folder, prefix, ExperimentTables.SpreadShapes(shapes), "From the spread_shapes view.");
                break;
            case AdversarialDefinition.Name:
                page.Add(new HeadingBlock(3, "Adversarial attack (article Example 3)"));
                if (data.BestTrials.Count > 0)
                {
                    foreach (var block in AdversarialFigures.Build(data.BestTrials[0], folder, prefix))
                    {
                        page.Add(block);
                    }
                }

                var success = await ReportViews.AttackSuccessAsync(store, sweep.Id, cancellationToken).ConfigureAwait(false);
                AddTable(page, folder, prefix, ExperimentTables.AttackSuccess(success), "From the attack_success view.");
                break;
        }

        await SearchSection.WriteAsync(store, data, page, folder, prefix, cancellationToken).ConfigureAwait(false);

        page.Add(new HeadingBlock(3, "Learning-rate curve"));
        var curve = RankingTables.LearningRateCurve(data);
        AddTable(page, folder, prefix, Truncated(curve), curve.Rows.Count > RankingTables.ShownRows
            ? $"First {RankingTables.ShownRows} of {curve.Rows.Count} rows shown; the CSV has all (view learning_rate_curve)."
            : "From the learning_rate_curve view.", curve);
        page.Add(new HeadingBlock(3, $"Best trials (top {RankingTables.ShownRows})"));
        AddTable(page, folder, prefix, RankingTables.Trials(data), "The CSV lists every trial (view trial_convergence).");
    }

    /// <summary>The description of the stored spec, or null (none, or a spec this build no longer reads).</summary>
    private static string? Description(SweepRecord sweep) => StoredSpec(sweep)?.Description;

    /// <summary>The stored spec, or null when this build no longer reads it.</summary>
    internal static SweepSpec? StoredSpec(SweepRecord sweep)
    {
        try
        {
            return SweepSpecParser.Parse(sweep.Spec, sweep.Id, new SweepSpecLimits { MaxTrials = long.MaxValue });
        }
        catch (SweepSpecException)
        {
            return null;
        }
    }

    private static ReportTable Truncated(ReportTable table) =>
        table.Rows.Count <= RankingTables.ShownRows ? table : table with { Rows = [.. table.Rows.Take(RankingTables.ShownRows)] };

    /// <summary>Writes the table's CSV (<paramref name="full"/>'s rows when given) and adds the table to the page.</summary>
    internal static void AddTable(ReportPage page, string folder, string prefix, ReportTable shown, string note, ReportTable? full = null)
    {
        var file = $"{prefix}{shown.Name}.csv";
        File.WriteAllText(Path.Combine(folder, file), (full ?? shown).ToCsv());
        page.Add(new TableBlock(shown, file, note));
    }
}
