using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Search;
using GradDescent.Abstractions.Trials;
using GradDescent.Reports.Analysis;
using GradDescent.Reports.Charts;
using GradDescent.Reports.Document;
using GradDescent.Storage;
using GradDescent.Sweeps;
using GradDescent.Sweeps.Search;

namespace GradDescent.Reports;

/// <summary>
/// The part of a sweep's section only a <c>search:</c> sweep gets (docs/search.md): what the search did, its
/// optimisation history, parameter importance (fANOVA), the Pareto front of several objectives and, with early
/// stopping, every trial's learning curve with the pruned ones ending where they stopped.
/// </summary>
public static class SearchSection
{
    /// <summary>The importance method as the report names it.</summary>
    public const string ImportanceMethod = "fANOVA on a 64-tree random forest, main effects";

    public static async Task WriteAsync(IResultStore store, SweepComparison data, ReportPage page, string folder, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(page);
        if (data.Spec?.Search is not { } search)
        {
            return;
        }

        var definition = data.Definition;
        var space = new SearchSpace(search.Space, definition);
        string[] series = [.. search.Objectives.Where(o => o.Reach is not null).Select(o => o.Metric)
            .Append(search.EarlyStopping?.Metric ?? definition.StepMetric).Append(definition.StepMetric).Distinct(StringComparer.Ordinal)];
        var results = new List<TrialResult>();
        await foreach (var result in store.GetResultsAsync(data.Sweep.Id, series, cancellationToken).ConfigureAwait(false))
        {
            results.Add(result);
        }

        var observations = results.Select(r => SearchObservations.FromResult(r, space, search)).ToList();
        page.Add(new HeadingBlock(3, "Search"));
        page.Add(new ParagraphBlock(Describe(search, results)));

        var objective = search.Objectives[0];
        page.Add(SearchCharts.History(observations, objective, folder, prefix));
        SweepSection.AddTable(page, folder, prefix, History(observations, objective, results),
            "The trials that improved the best so far (completed trials only: pruned, diverged and failed ones never count); the CSV lists every stored trial with its status and, for pruned ones, the iteration it stopped at.");

        page.Add(new HeadingBlock(3, "Parameter importance"));
        for (var o = 0; o < search.Objectives.Length; o++)
        {
            var importance = ParameterImportance.Fanova(space, observations, o, search.Seed);
            var name = search.Objectives[o].Name;
            if (importance.IsEmpty)
            {
                page.Add(new ParagraphBlock($"Importance for {name}: not computable (fewer than two completed trials with different values, or no parameter every completed trial has)."));
                continue;
            }

            SweepSection.AddTable(page, folder, prefix, Importance(importance, name, search.Objectives.Length > 1 ? $"_{o}" : string.Empty),
                $"{ImportanceMethod} (Hutter, Hoos and Leyton-Brown 2014, as Optuna's default evaluator), fitted to the {observations.Count(x => x.Kind == ObservationKind.Completed)} completed trials' {name}; shares sum to 1. Interactions are not attributed; parameters some trials lack (conditional ones) are left out.");
        }

        if (search.IsMultiObjective)
        {
            page.Add(new HeadingBlock(3, "Pareto front"));
            var (front, hypervolume, reference) = Front(observations, search);
            var table = FrontTable(front, results, search);
            SweepSection.AddTable(page, folder, prefix, table,
                $"The completed trials no other completed trial beats on every objective ({front.Count} of {observations.Count(x => x.Kind == ObservationKind.Completed)}). Hypervolume {Numbers.Show(hypervolume)} against the reference point ({string.Join(", ", reference.Select(v => Numbers.Show(v)))}) (each objective's worst value pushed out by 10%, in the objectives' own directions). Same trials: SELECT * FROM pareto_front WHERE sweep_id = '{data.Sweep.Id}'.");
            page.Add(SearchCharts.Front(observations, front, search, folder, prefix));
        }

        if (search.EarlyStopping is not null)
        {
            page.Add(SearchCharts.LearningCurves(results, search.EarlyStopping.Metric, definition, folder, prefix));
        }
    }

    private static string Describe(SweepSearch search, IReadOnlyList<TrialResult> results)
    {
        var algorithm = search.Algorithm switch
        {
            SearchAlgorithm.Tpe => search.IsMultiObjective ? "Multi-objective TPE" : "TPE",
            SearchAlgorithm.Nsga2 => "NSGA-II",
            SearchAlgorithm.Grid => "Grid",
            _ => "Random",
        };
        var stopping = search.EarlyStopping switch
        {
            null => "no early stopping",
            { Rule: EarlyStoppingRule.Asha } s => $"ASHA early stopping on {s.Metric} (η {s.ReductionFactor}, first rung at iteration {s.MinIterations}, checked every {s.MetricStep})",
            { } s => $"median early stopping on {s.Metric} (from iteration {s.MinIterations}, checked every {s.MetricStep}, after {s.StartupTrials} completed trials)",
        };
        var objectives = string.Join(", ", search.Objectives.Select(o => $"{o.Name} ({(o.Goal == MetricGoal.Minimize ? "minimize" : "maximize")})"));
        int Count(TrialStatus status) => results.Count(r => r.Status == status);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{algorithm} search, seed {search.Seed}: {search.Trials} trials proposed in generations of {search.Batch}, {stopping}. Objective{(search.IsMultiObjective ? "s" : string.Empty)}: {objectives}. Stored: {Count(TrialStatus.Completed)} completed, {Count(TrialStatus.Pruned)} pruned, {Count(TrialStatus.Diverged)} diverged, {Count(TrialStatus.Failed)} failed.");
    }

    private static ReportTable History(IReadOnlyList<TrialObservation> observations, SweepObjective objective, IReadOnlyList<TrialResult> results)
    {
        var sign = objective.Goal == MetricGoal.Minimize ? 1 : -1;
        double? best = null;
        var rows = new List<string[]>();
        var csv = new List<string[]>();
        foreach (var (observation, result) in observations.Zip(results).OrderBy(p => p.First.Index))
        {
            double? value = observation.Kind == ObservationKind.Completed ? observation.Values[0] : null;
            var improved = value is { } v && double.IsFinite(v) && (best is null || (sign * v) < (sign * best.Value));
            if (improved)
            {
                best = value;
            }

            var status = result.Status.ToString().ToLowerInvariant();
            var stopped = observation.PrunedAt is { } at ? $" at {at}" : string.Empty;
            if (improved)
            {
                rows.Add([Numbers.Show(observation.Index), status + stopped, Numbers.Show(value), Numbers.Show(best), result.Parameters.ToString()]);
            }

            csv.Add([Numbers.Csv(observation.Index), status, observation.PrunedAt?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, Numbers.Csv(value), Numbers.Csv(best), result.Parameters.ToString()]);
        }

        var shown = rows.Count <= RankingTables.ShownRows ? rows : rows.TakeLast(RankingTables.ShownRows).ToList();
        return new ReportTable("search_history", ["trial", "status", objective.Name, "best so far", "parameters"], shown, csv)
        {
            CsvHeaders = ["trial", "status", "pruned_at", objective.Name, "best_so_far", "parameters"],
        };
    }

    private static ReportTable Importance(IReadOnlyList<(string Parameter, double Importance)> importance, string objective, string suffix) =>
        new(
            $"parameter_importance{suffix}",
            ["parameter", $"importance for {objective}"],
            [.. importance.Select(i => new[] { i.Parameter, Numbers.Percent(i.Importance) })],
            [.. importance.Select(i => new[] { i.Parameter, Numbers.Csv(i.Importance) })])
        {
            CsvHeaders = ["parameter", "importance"],
        };

    /// <summary>The non-dominated completed trials, their hypervolume and the reference point (in the objectives' own directions).</summary>
    private static (IReadOnlyList<TrialObservation> Front, double Hypervolume, double[] Reference) Front(IReadOnlyList<TrialObservation> observations, SweepSearch search)
    {
        var goals = search.Objectives.Select(o => o.Goal).ToList();
        var completed = observations.Where(o => o.Kind == ObservationKind.Completed && o.Values.All(double.IsFinite)).ToList();
        if (completed.Count == 0)
        {
            return ([], 0, []);
        }

        var oriented = completed.Select(o => (IReadOnlyList<double>)ParetoFront.Orient(o.Values, goals)).ToList();
        var front = ParetoFront.NonDominated(oriented).Select(i => completed[i]).OrderBy(o => o.Index).ToList();
        var reference = Enumerable.Range(0, goals.Count).Select(d =>
        {
            var worst = oriented.Max(p => p[d]);
            var best = oriented.Min(p => p[d]);
            return worst + (0.1 * Math.Max(worst - best, Math.Abs(worst) * 1e-9 + 1e-12));
        }).ToArray();
        var hypervolume = ParetoFront.Hypervolume(ParetoFront.NonDominated(oriented).Select(i => oriented[i]).ToList(), reference);
        var shownReference = reference.Select((r, d) => goals[d] == MetricGoal.Minimize ? r : -r).ToArray();
        return (front, hypervolume, shownReference);
    }

    private static ReportTable FrontTable(IReadOnlyList<TrialObservation> front, IReadOnlyList<TrialResult> results, SweepSearch search)
    {
        var byIndex = results.ToDictionary(r => r.Index);
        var names = search.Objectives.Select(o => o.Name).ToArray();
        return new ReportTable(
            "pareto_front",
            ["trial", .. names, "parameters"],
            [.. front.Select(o => (string[])[Numbers.Show(o.Index), .. o.Values.Select(v => Numbers.Show(v)), byIndex[o.Index].Parameters.ToString()])],
            [.. front.Select(o => (string[])[Numbers.Csv(o.Index), .. o.Values.Select(v => Numbers.Csv(v)), byIndex[o.Index].Parameters.ToString()])])
        {
            CsvHeaders = ["trial", .. names, "parameters"],
        };
    }
}
