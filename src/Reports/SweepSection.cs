using GradDescent.Abstractions.Experiments;
using GradDescent.Reports.Analysis;
using GradDescent.Reports.Charts;
using GradDescent.Reports.Document;
using GradDescent.Reports.Experiments;
using GradDescent.Storage;
using GradDescent.Storage.Reports;

namespace GradDescent.Reports;

/// <summary>Writes one sweep's files (CSV, PNG, GIF) into the report folder and adds its blocks to the page.</summary>
public static class SweepSection
{
    /// <summary>Contenders whose best runs are plotted in a one-group sweep (best ranks first).</summary>
    public const int PlottedContenders = 11;

    /// <summary>Linear regression: contenders whose best fits are animated (best ranks first).</summary>
    public const int AnimatedContenders = 3;

    /// <summary>Adversarial: best attacks whose images are shown.</summary>
    public const int ShownAttacks = 3;

    public static async Task WriteAsync(IResultStore store, SweepComparison comparison, ReportPage page, string folder, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(page);
        var sweep = comparison.Sweep;
        var definition = comparison.Definition;
        var trials = comparison.Trials;
        page.Add(new HeadingBlock(2, $"Sweep {sweep.Id}"));
        page.Add(new ParagraphBlock(
            $"{sweep.Name}: {definition.Name}, {trials.Stored} of {sweep.TotalTrials} trials stored ({trials.Completed} completed, "
            + $"{trials.Diverged} diverged, {trials.Failed} failed, {trials.Pruned} pruned), status {sweep.Status.ToString().ToLowerInvariant()}. "
            + $"Ranked by final {definition.PrimaryMetric}, {(definition.Goal == MetricGoal.Minimize ? "lower" : "higher")} is better. {WhatVaries(comparison)}"));
        if (comparison.Spec?.Description is { } description)
        {
            page.Add(new ParagraphBlock($"Description: {description}"));
        }

        var runs = await LoadRunsAsync(store, comparison, cancellationToken).ConfigureAwait(false);
        var dataCsv = definition.Name == LinearRegressionDefinition.Name && runs.Count > 0
            ? await ArtifactAsync(store, comparison, runs.Values.First(), LinearRegressionFigures.DataArtifact, cancellationToken).ConfigureAwait(false)
            : null;
        var verdict = Verdict.Build(comparison, c => runs.GetValueOrDefault(c), LinearRegressionFigures.MeanHeight(dataCsv));
        page.Add(new ParagraphBlock(verdict.Headline, Strong: true));
        foreach (var detail in verdict.Details)
        {
            page.Add(new ParagraphBlock(detail));
        }

        var tuned = comparison.TuningAxes.Count == 0 ? string.Empty : $" (each at its best {string.Join(", ", comparison.TuningAxes.Select(a => a.Name.Replace('_', ' ')))})";
        if (comparison.MultiGroup)
        {
            page.Add(new HeadingBlock(3, $"Overall ranking of each {comparison.ContenderKind}{tuned}"));
            AddTable(page, folder, prefix, RankingTables.Overall(comparison),
                $"Mean rank over the {string.Join(" × ", comparison.ProblemAxes.Select(a => a.Name))} groups in which every {comparison.ContenderKind} completed, with a 95% Student-t interval over groups; each cell: rank in that group (mean {definition.PrimaryMetric}).");
            page.Add(new HeadingBlock(3, $"Ranking per {string.Join(" × ", comparison.ProblemAxes.Select(a => a.Name))}"));
            var byGroup = RankingTables.Ranking(comparison);
            AddTable(page, folder, prefix, Truncated(byGroup), RankingNote(comparison, byGroup.Rows.Count), byGroup);
        }
        else
        {
            page.Add(new HeadingBlock(3, $"Ranking of each {comparison.ContenderKind}{tuned}"));
            AddTable(page, folder, prefix, RankingTables.Ranking(comparison), RankingNote(comparison, 0));
        }

        var charts = new[]
        {
            ComparisonCharts.Curves(comparison, runs, folder, prefix),
            ComparisonCharts.ByNumericAxis(comparison, folder, prefix),
            ComparisonCharts.Heatmap(comparison, folder, prefix),
        }.OfType<FigureBlock>().ToList();
        if (charts.Count > 0)
        {
            page.Add(new HeadingBlock(3, "Charts"));
            charts.ForEach(page.Add);
        }

        switch (definition.Name)
        {
            case LinearRegressionDefinition.Name:
                page.Add(new HeadingBlock(3, "The fits (article Example 1)"));
                foreach (var contender in comparison.MainGroup.Ranked.Take(AnimatedContenders))
                {
                    if (runs.GetValueOrDefault(contender) is { } run)
                    {
                        var data = await ArtifactAsync(store, comparison, run, LinearRegressionFigures.DataArtifact, cancellationToken).ConfigureAwait(false);
                        LinearRegressionFigures.Build(run, data, folder, prefix, animate: true).ToList().ForEach(page.Add);
                    }
                }

                break;
            case VectorSpreadDefinition.Name:
                page.Add(new HeadingBlock(3, "Vector spread (article Example 2)"));
                await AddVectorSpreadAsync(store, comparison, runs, page, folder, prefix, cancellationToken).ConfigureAwait(false);
                var shapes = await ReportViews.SpreadShapesAsync(store, sweep.Id, cancellationToken).ConfigureAwait(false);
                AddTable(page, folder, prefix, ExperimentTables.SpreadShapes(shapes), "Best minimum angle per shape against the best known (view spread_shapes).");
                break;
            case AdversarialDefinition.Name:
                page.Add(new HeadingBlock(3, "Adversarial attack (article Example 3)"));
                var attacks = comparison.MainGroup.Ranked.Take(ShownAttacks).Select(c => runs.GetValueOrDefault(c)).OfType<BestRun>().ToList();
                var images = new Dictionary<BestRun, (byte[], byte[])>();
                foreach (var run in attacks)
                {
                    if (await ArtifactAsync(store, comparison, run, AdversarialFigures.OriginalImage, cancellationToken).ConfigureAwait(false) is { } original
                        && await ArtifactAsync(store, comparison, run, AdversarialFigures.AdversarialImage, cancellationToken).ConfigureAwait(false) is { } adversarial)
                    {
                        images[run] = (original, adversarial);
                    }
                }

                AdversarialFigures.Build(comparison, attacks, images, folder, prefix).ToList().ForEach(page.Add);
                var success = await ReportViews.AttackSuccessAsync(store, sweep.Id, cancellationToken).ConfigureAwait(false);
                AddTable(page, folder, prefix, ExperimentTables.AttackSuccess(success), "How often each setting flipped the label (view attack_success).");
                break;
        }

        await SearchSection.WriteAsync(store, comparison, page, folder, prefix, cancellationToken).ConfigureAwait(false);

        page.Add(new HeadingBlock(3, "Configurations"));
        var configurations = RankingTables.Configurations(comparison);
        AddTable(page, folder, prefix, Truncated(configurations), configurations.Rows.Count > RankingTables.ShownRows
            ? $"First {RankingTables.ShownRows} of {configurations.Rows.Count} rows shown; the CSV has all (view learning_rate_curve: one row per configuration, its seeds' statistics)."
            : "One row per configuration, its seeds' statistics (view learning_rate_curve).", configurations);
        page.Add(new HeadingBlock(3, $"Best trials (top {RankingTables.ShownRows})"));
        var best = comparison.BestTrials
            ?? await RankingTables.WriteTrialsAsync(store, comparison, Path.Combine(folder, $"{prefix}trials.csv"), cancellationToken).ConfigureAwait(false);
        page.Add(new TableBlock(best, $"{prefix}trials.csv", "The CSV lists every trial (view trial_convergence)."));
    }

    /// <summary>"It varies optimizer (11 values) and learning_rate (9 values): …" — the axes and their roles.</summary>
    public static string WhatVaries(SweepComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        if (comparison.Axes.Count == 0)
        {
            return "Nothing varies between its configurations.";
        }

        string Axes(AxisRole role) => string.Join(", ", comparison.Axes.Where(a => a.Role == role).Select(a => $"{a.Name} ({a.Values.Count} values)"));
        var parts = new List<string> { $"Compared: {Axes(AxisRole.Contender)}" };
        if (comparison.TuningAxes.Count > 0)
        {
            parts.Add($"each at its best {Axes(AxisRole.Tuning)}");
        }

        if (comparison.ProblemAxes.Count > 0)
        {
            parts.Add($"ranked separately for each {Axes(AxisRole.Problem)} and overall by mean rank");
        }

        return string.Join("; ", parts) + ".";
    }

    /// <summary>The best runs the section draws: every ranked contender of a one-group sweep; the first ranks of the first groups otherwise.</summary>
    private static async Task<Dictionary<ContenderResult, BestRun>> LoadRunsAsync(IResultStore store, SweepComparison comparison, CancellationToken cancellationToken)
    {
        var wanted = comparison.MultiGroup
            ? comparison.Groups.Take(ComparisonCharts.MaxPanels).SelectMany(g => g.Ranked.Take(ComparisonCharts.LinesPerPanel))
            : comparison.MainGroup.Ranked.Take(PlottedContenders);
        var runs = new Dictionary<ContenderResult, BestRun>();
        foreach (var contender in wanted.Concat(MethodRuns(comparison).Select(m => m.Contender)).Distinct())
        {
            if (await comparison.LoadBestRunAsync(store, contender, cancellationToken).ConfigureAwait(false) is { } run)
            {
                runs[contender] = run;
            }
        }

        return runs;
    }

    private static async Task AddVectorSpreadAsync(
        IResultStore store, SweepComparison comparison, Dictionary<ContenderResult, BestRun> loaded, ReportPage page, string folder, string prefix, CancellationToken cancellationToken)
    {
        var chosen = MethodRuns(comparison);
        var runs = new List<(string Label, BestRun Run)>();
        var trajectories = new Dictionary<BestRun, byte[]>();
        foreach (var (label, contender) in chosen)
        {
            if (!loaded.TryGetValue(contender, out var run))
            {
                continue;
            }

            runs.Add((label, run));
            if (await ArtifactAsync(store, comparison, run, VectorSpreadFigures.TrajectoryArtifact, cancellationToken).ConfigureAwait(false) is { } trajectory)
            {
                trajectories[run] = trajectory;
            }
        }

        var shape = comparison.MultiGroup && chosen.Count > 0 ? chosen[0].Contender.Group : string.Empty;
        VectorSpreadFigures.Build(comparison, runs, trajectories, shape, folder, prefix).ToList().ForEach(page.Add);
    }

    /// <summary>
    /// Vector spread: the best contender of each method (of each contender when the method is not swept) in one shape: the
    /// 3-D shape with the most vectors when there is one (the sphere view reads best), else the shape with the most vectors.
    /// </summary>
    private static List<(string Label, ContenderResult Contender)> MethodRuns(SweepComparison comparison)
    {
        if (comparison.Definition.Name != VectorSpreadDefinition.Name || comparison.Groups.Count == 0)
        {
            return [];
        }

        static int Number(GroupRanking g, string name) => int.TryParse(g.Values.GetValueOrDefault(name), out var n) ? n : 0;
        var group = comparison.Groups.Where(g => g.Ranked.Count > 0)
            .OrderByDescending(g => Number(g, "dims") == 3 ? 1 : 0)
            .ThenByDescending(g => Number(g, "vectors"))
            .FirstOrDefault();
        if (group is null)
        {
            return [];
        }

        if (!comparison.ContenderAxes.Any(a => a.Name == "method"))
        {
            return [.. group.Ranked.Take(ComparisonCharts.LinesPerPanel).Select(c => (c.Contender, c))];
        }

        return [.. group.Ranked
            .GroupBy(c => c.Best!.ValueOf("method"))
            .Select(g => (Label: comparison.ContenderAxes.Count == 1 ? g.Key : g.First().Contender, Contender: g.First()))];
    }

    private static async Task<byte[]?> ArtifactAsync(IResultStore store, SweepComparison comparison, BestRun run, string name, CancellationToken cancellationToken) =>
        run.HasArtifact(name) ? await ReportViews.ArtifactContentAsync(store, comparison.Sweep.Id, run.Trial.TrialIndex, name, cancellationToken).ConfigureAwait(false) : null;

    private static string RankingNote(SweepComparison comparison, int rows)
    {
        var shown = rows > RankingTables.ShownRows ? $"First {RankingTables.ShownRows} of {rows} rows shown; the CSV has all. " : string.Empty;
        var optimum = comparison.Configurations.Any(c => c.Row.OptimumKnown) ? "the true optimum" : "the sweep's best";
        return $"{shown}Best setting: among those where every seed converged, the best mean over seeds. Rank: contenders within the practical-equivalence margin "
            + $"(the larger of 0.1% of the value and the metric's tolerance) of a rank's leader share its rank. CI: Student t over seeds. Gap and iterations: against {optimum}. "
            + $"A setting converged when every seed completed within {ComparisonRules.FarFactor:0}× of the optimum.";
    }

    private static ReportTable Truncated(ReportTable table) =>
        table.Rows.Count <= RankingTables.ShownRows ? table : table with { Rows = [.. table.Rows.Take(RankingTables.ShownRows)] };

    /// <summary>Writes the table's CSV (<paramref name="full"/>'s rows when given) and adds the table to the page.</summary>
    internal static void AddTable(ReportPage page, string folder, string prefix, ReportTable shown, string note, ReportTable? full = null)
    {
        var file = $"{prefix}{shown.Name}.csv";
        (full ?? shown).WriteCsv(Path.Combine(folder, file));
        page.Add(new TableBlock(shown, file, note));
    }
}
