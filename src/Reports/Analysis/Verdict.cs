using GradDescent.Abstractions.Experiments;
using GradDescent.Reports.Document;

namespace GradDescent.Reports.Analysis;

/// <summary>
/// The report's answer in words, from a <see cref="SweepComparison"/> and the best runs it drew: who wins or ties, whether
/// the repeats meant anything, how far the best is from the true optimum, and why the winner wins (learning-rate
/// robustness, speed, stability, and the article's own explanation where it applies). Rules: docs/reports.md.
/// </summary>
/// <param name="Kind">What the headline says.</param>
/// <param name="Headline">The verdict sentence(s), shown emphasised.</param>
/// <param name="Details">Further paragraphs: noise, the optimum, the evidence.</param>
public sealed record Verdict(VerdictKind Kind, string Headline, IReadOnlyList<string> Details)
{
    /// <param name="comparison">The sweep's comparison.</param>
    /// <param name="runOf">The best run of a contender in a group, when the report loaded it (for stability and speed).</param>
    /// <param name="gradientScale">
    /// Linear regression: the data's mean height, by which the slope's gradient outgrows the intercept's (the article's
    /// reason for adaptive methods); null when unknown.
    /// </param>
    public static Verdict Build(SweepComparison comparison, Func<ContenderResult, BestRun?> runOf, double? gradientScale = null)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(runOf);
        var verdict = comparison.MultiGroup ? AcrossGroups(comparison) : WithinGroup(comparison);
        var details = new List<string>(verdict.Details);
        if (NoiseNote(comparison, verdict.Kind) is { } noise)
        {
            details.Add(noise);
        }

        details.AddRange(OptimumNotes(comparison));
        details.AddRange(Evidence(comparison, runOf, gradientScale));
        return verdict with { Details = [.. details.Where(d => d.Length > 0)] };
    }

    private static Verdict WithinGroup(SweepComparison comparison)
    {
        var metric = comparison.Definition.PrimaryMetric;
        var group = comparison.MainGroup;
        var ranked = group.Ranked;
        if (ranked.Count == 0)
        {
            return new Verdict(VerdictKind.NoResult, "No trial completed, so nothing can be ranked.", []);
        }

        if (ranked.Count == 1 && group.Contenders.Count == 1)
        {
            return new Verdict(
                VerdictKind.Single,
                $"Only one {comparison.ContenderKind} ran ({Describe(comparison, ranked[0])}): there is nothing to rank it against; {metric} {MeanText(ranked[0])}.",
                []);
        }

        var leaders = group.Leaders;
        var next = ranked.FirstOrDefault(r => r.Rank != 1);
        var margin = ComparisonRules.EquivalenceMargin(leaders[0].Mean!.Value, comparison.Definition);
        var marginText = MarginText(comparison, leaders[0].Mean!.Value, margin);
        if (leaders.Count > 1)
        {
            var headline = $"Tie: {Names(leaders)} end within the practical-equivalence margin of {marginText} of each other at their best settings "
                + $"({string.Join("; ", leaders.Select(l => $"{l.Contender} {Numbers.Show(l.Mean)}"))}); differences this small do not matter.";
            if (next is not null)
            {
                headline += $" Next: {Describe(comparison, next)}, {metric} {MeanText(next)}, {Lead(leaders[0], next)} behind.";
            }

            return new Verdict(VerdictKind.Tie, headline, []);
        }

        var winner = leaders[0];
        var text = $"Winner: {Describe(comparison, winner)}, {metric} {MeanText(winner)} ({Better(comparison)} is better).";
        if (next is not null)
        {
            text += $" Runner-up: {Describe(comparison, next)}, {MeanText(next)}; lead {Lead(winner, next)}, beyond the practical-equivalence margin of {marginText}.";
        }

        return new Verdict(VerdictKind.Lead, text, next is null ? [] : [CiNote(comparison, winner, next)]);
    }

    private static Verdict AcrossGroups(SweepComparison comparison)
    {
        var complete = comparison.Groups.Count(g => g.Complete);
        var problem = string.Join(" × ", comparison.ProblemAxes.Select(a => a.Name));
        var ranked = comparison.Overall.Where(o => o.Rank is not null).ToList();
        var perGroup = comparison.Groups.Take(12).Select(g => $"{g.Group}: {(g.Leaders.Count == 0 ? "nothing completed" : Names(g.Leaders) + (g.Leaders.Count > 1 ? " (tie)" : string.Empty))}");
        var leadersNote = $"Best per {problem} (ties within the practical-equivalence margin share first place): {string.Join("; ", perGroup)}{(comparison.Groups.Count > 12 ? $"; … ({comparison.Groups.Count} in all, see ranking_by_group.csv)" : string.Empty)}.";
        if (ranked.Count == 0)
        {
            return new Verdict(
                VerdictKind.NoResult,
                $"No {problem} group has a completed result for every {comparison.ContenderKind}, so there is no overall ranking; see the ranking of each group.",
                [leadersNote]);
        }

        var best = ranked.Where(r => r.Rank == 1).ToList();
        var runnerUp = ranked.FirstOrDefault(r => r.Rank != 1);
        string Rank(OverallRank r) =>
            $"{r.Contender} (mean rank {Numbers.Show(r.MeanRank)}{(r.Ci95HalfWidth is { } h ? $" ± {Numbers.Show(h)}" : string.Empty)}, first in {r.FirstPlaces} of {r.Groups})";
        var scope = $"Across the {complete} of {comparison.Groups.Count} {problem} groups in which every {comparison.ContenderKind} completed";
        if (best.Count > 1)
        {
            return new Verdict(VerdictKind.Tie, $"{scope}: tie between {string.Join(", ", best.Select(Rank))}: equal mean ranks.", [leadersNote]);
        }

        var winner = best[0];
        if (runnerUp is null)
        {
            return new Verdict(VerdictKind.Single, $"{scope}: {Rank(winner)} is the only {comparison.ContenderKind} ranked.", [leadersNote]);
        }

        var separated = winner.Ci95HalfWidth is { } a && runnerUp.Ci95HalfWidth is { } b && winner.MeanRank + a < runnerUp.MeanRank - b;
        var ranks = comparison.Groups.Where(g => g.Complete).Select(g => (Winner: g.Find(winner.Contender)!.Rank, RunnerUp: g.Find(runnerUp.Contender)!.Rank)).ToList();
        var everywhere = ranks.All(g => g.Winner <= g.RunnerUp);
        var ahead = ranks.Count(g => g.Winner < g.RunnerUp);
        var text = $"{scope}: best mean rank {Rank(winner)}; runner-up {Rank(runnerUp)}. "
            + (everywhere
                ? ahead == ranks.Count
                    ? $"{winner.Contender} ranks ahead of {runnerUp.Contender} in every one of them."
                    : $"{winner.Contender} ranks ahead of {runnerUp.Contender} in {ahead} of them and level (within the practical-equivalence margin) in the other {ranks.Count - ahead}; never behind."
                : $"{winner.Contender} does not rank ahead of {runnerUp.Contender} everywhere: which is better depends on the {problem}.")
            + (separated ? " Their 95% intervals of mean rank do not overlap." : " Their 95% intervals of mean rank overlap (or cannot be computed from one group).");
        return new Verdict(everywhere ? VerdictKind.Lead : VerdictKind.Mixed, text, [leadersNote]);
    }

    private static string CiNote(SweepComparison comparison, ContenderResult winner, ContenderResult runnerUp)
    {
        if (comparison.Determinism.Deterministic || winner.Row!.Ci95HalfWidth is not { } a || runnerUp.Row!.Ci95HalfWidth is not { } b)
        {
            return string.Empty;
        }

        var gap = Math.Abs(winner.Mean!.Value - runnerUp.Mean!.Value);
        return gap > a + b
            ? "Their 95% confidence intervals over seeds do not overlap: the lead is larger than the noise across seeds."
            : "Their 95% confidence intervals over seeds overlap: the lead is NOT larger than the noise across seeds (rule: non-overlapping 95% Student-t intervals).";
    }

    private static string? NoiseNote(SweepComparison comparison, VerdictKind kind)
    {
        var determinism = comparison.Determinism;
        if (kind == VerdictKind.NoResult)
        {
            return null;
        }

        if (determinism.WastedRepeats)
        {
            return $"Every repeat gives the same result ({(determinism.SeedUnused ? $"{comparison.Definition.Name} does not use the seed, and every seed gave the same value" : "every seed gave the same value in every configuration")}): "
                + $"the {determinism.Repeats} repeats ran the same trials {determinism.Repeats} times and add nothing (use repeats: 1). There is no noise across seeds, so differences are exact.";
        }

        if (determinism.Deterministic)
        {
            return $"The results do not depend on the seed ({(determinism.SeedUnused ? $"{comparison.Definition.Name} does not use it" : "repeats gave identical values")}), so differences are exact.";
        }

        return determinism.SeedsIdentical is null
            ? "One seed per configuration: the noise across seeds cannot be judged (repeats: 2 or more would show it)."
            : null;
    }

    private static IEnumerable<string> OptimumNotes(SweepComparison comparison)
    {
        var definition = comparison.Definition;
        var metric = definition.PrimaryMetric;
        var configurations = comparison.Configurations;
        var notConverged = configurations.Where(c => c.Row.Completed > c.Row.Converged).ToList();
        var known = configurations.Any(c => c.Row.OptimumKnown);
        var leaders = comparison.Groups.SelectMany(g => g.Leaders).ToList();
        if (known && leaders.Count > 0)
        {
            var groups = comparison.Groups.Where(g => g.Leaders.Count > 0).ToList();
            if (!comparison.MultiGroup)
            {
                var leader = leaders[0];
                var optimum = leader.Row!.Optimum!.Value;
                var gap = (leader.Mean!.Value - optimum) * comparison.Sign;
                var within = groups[0].Ranked.Where(c => c.SeedsWithinOptimum > 0).Select(c => c.Contender).ToList();
                yield return $"The true optimum of this problem is {metric} {Numbers.Show(optimum)} ({OptimumSource(definition)}). "
                    + $"The best result is {Numbers.Show(Math.Abs(gap))} {(gap >= 0 ? "short of it" : "past it (float rounding)")} ({Numbers.Show(100 * Math.Abs(gap) / Math.Max(Math.Abs(optimum), 1e-300))}%). "
                    + (within.Count == 0
                        ? $"No {comparison.ContenderKind} came within 1% of it at its best setting, so no one converged to the optimum in the iterations given; \"iterations to within 1%\" is empty."
                        : $"Within 1% of it at their best settings: {string.Join(", ", within)}.");
            }
            else
            {
                var knownGroups = groups.Where(g => g.Leaders[0].Row!.OptimumKnown).ToList();
                var reached = knownGroups.Count(g => g.Leaders.Any(l => l.SeedsWithinOptimum > 0));
                var problem = string.Join(" × ", comparison.ProblemAxes.Select(a => a.Name));
                yield return $"Measured against the true optimum ({OptimumSource(definition)}) in the {knownGroups.Count} of {groups.Count} {problem} groups where it is known"
                    + (knownGroups.Count < groups.Count ? ", against the group's own best result in the others" : string.Empty)
                    + $": the best result came within 1% of it in {reached} of those {knownGroups.Count} (gap to the optimum: ranking by group).";
            }
        }
        else if (leaders.Count > 0)
        {
            yield return $"No true optimum is known for {metric} here, so convergence (\"within 1%\", \"converged\") is measured against the best result of the same problem in the sweep.";
        }

        if (notConverged.Count > 0)
        {
            double? Worst(ConfigurationResult c) => comparison.Sign == 1 ? c.Row.MaxValue : c.Row.MinValue;
            var worst = notConverged.OrderByDescending(c => (Worst(c) ?? 0) * comparison.Sign).First();
            yield return $"{notConverged.Count} of {configurations.Count} configurations completed without converging: at least one seed ended more than {ComparisonRules.FarFactor:0}× worse than the optimum "
                + $"(e.g. {worst.Contender}{Setting(comparison, worst)}: {metric} {Numbers.Show(Worst(worst))}). They count as not converged whatever their status.";
        }
    }

    private static IEnumerable<string> Evidence(SweepComparison comparison, Func<ContenderResult, BestRun?> runOf, double? gradientScale)
    {
        if (comparison.MultiGroup)
        {
            yield break;
        }

        var group = comparison.MainGroup;
        var ranked = group.Ranked;
        if (ranked.Count < 2)
        {
            yield break;
        }

        var tuning = comparison.TuningAxes;
        var settings = tuning.Count == 0 ? "configurations" : $"{string.Join(" × ", tuning.Select(a => a.Name.Replace('_', ' ')))} settings";
        var described = group.Leaders.Concat(ranked.Where(r => r.Rank != 1).Take(1)).ToList();
        var lines = described.Select(c => EvidenceOf(comparison, c, runOf(c), settings)).ToList();
        var fragile = ranked.Where(r => r.Configurations > 1).OrderBy(r => (double)r.ConvergedConfigurations / r.Configurations).FirstOrDefault();
        var contrast = fragile is not null && !described.Contains(fragile) && tuning.Count > 0
            ? $" For contrast, {fragile.Contender} converges in {fragile.ConvergedConfigurations} of {fragile.Configurations} {settings}."
            : string.Empty;
        yield return $"Why: {string.Join(" ", lines)}{contrast}";

        var adaptive = group.Leaders.Where(l => comparison.ContenderAxes.Any(a => a.Name == "optimizer") && OptimizerCatalog.Adaptive.Contains(l.Best!.ValueOf("optimizer"))).ToList();
        if (comparison.Definition.Name == LinearRegressionDefinition.Name && adaptive.Count > 0)
        {
            yield return $"The article's explanation applies to {Names(adaptive)}: adaptive methods scale each parameter's step by a running measure of its own gradients, "
                + "so the slope and the intercept move at comparable rates although the slope's gradient is the intercept's weighted by height"
                + (gradientScale is { } scale ? $" (about {Numbers.Show(scale)} times larger here)" : string.Empty)
                + "; plain gradient descent moves the slope and barely the intercept unless the intercept's gradient is scaled by hand (the article's ×1000).";
        }
    }

    private static string EvidenceOf(SweepComparison comparison, ContenderResult contender, BestRun? run, string settings)
    {
        var parts = new List<string>();
        if (contender.Configurations > 1)
        {
            parts.Add($"converges in {contender.ConvergedConfigurations} of {contender.Configurations} {settings}");
        }

        var shape = run?.Shape(comparison.Definition);
        if (contender.IterationsToOptimum is { } iterations)
        {
            parts.Add($"comes within 1% of the optimum after {Numbers.Show(iterations)} iterations (mean over {contender.SeedsWithinOptimum} seed{(contender.SeedsWithinOptimum == 1 ? string.Empty : "s")})");
        }
        else if (shape?.Within10Pct is { } within10)
        {
            parts.Add($"never comes within 1% of the optimum, but within 10% after {within10} iterations");
        }
        else if (shape is not null && run!.Trial.Optimum is not null)
        {
            parts.Add("never comes within 10% of the optimum");
        }

        if (shape is { Steps: > 1 } s)
        {
            parts.Add(s.WrongWaySteps == 0
                ? $"its {comparison.Definition.StepMetric} moves the right way at every step (no oscillation)"
                : $"its {comparison.Definition.StepMetric} goes the wrong way in {s.WrongWaySteps} of {s.Steps - 1} steps (oscillation)");
        }

        return parts.Count == 0 ? string.Empty : $"{contender.Contender}{Setting(comparison, contender.Best!)} {JoinAnd(parts)}.";
    }

    private static string OptimumSource(ExperimentDefinition definition) => definition.OptimumMetric switch
    {
        "exact_mse" => "the exact least-squares solution",
        "known_optimum_deg" => "the best-known arrangement",
        { } other => other,
        null => "the sweep's best",
    };

    private static string Describe(SweepComparison comparison, ContenderResult contender) => $"{contender.Contender}{Setting(comparison, contender.Best!)}";

    /// <summary>" at learning rate 0.1" from the tuned axes' values; empty when nothing is tuned.</summary>
    public static string Setting(SweepComparison comparison, ConfigurationResult configuration)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(configuration);
        var tuned = comparison.TuningAxes.Select(a => $"{a.Name.Replace('_', ' ')} {Numbers.ShowText(configuration.ValueOf(a.Name))}").ToList();
        return tuned.Count == 0 ? string.Empty : $" at {string.Join(", ", tuned)}";
    }

    private static string MeanText(ContenderResult contender) =>
        contender.Row!.N > 1 && contender.Row.Ci95HalfWidth is { } h && h > 0
            ? $"{Numbers.Show(contender.Mean)} ± {Numbers.Show(h)} (mean ± 95% CI over {contender.Row.N} seeds)"
            : contender.Row.N > 1 ? $"{Numbers.Show(contender.Mean)} (every one of {contender.Row.N} seeds)" : Numbers.Show(contender.Mean);

    private static string Lead(ContenderResult winner, ContenderResult other)
    {
        var gap = Math.Abs(winner.Mean!.Value - other.Mean!.Value);
        return other.Mean.Value != 0 ? $"{Numbers.Show(gap)} ({Numbers.Show(100 * gap / Math.Abs(other.Mean.Value))}%)" : Numbers.Show(gap);
    }

    private static string MarginText(SweepComparison comparison, double value, double margin) =>
        comparison.Definition.EquivalenceTolerance >= ComparisonRules.RelativeEquivalence * Math.Abs(value)
            ? $"{Numbers.Show(margin)} (the {comparison.Definition.PrimaryMetric} tolerance)"
            : $"{Numbers.Show(margin)} (0.1% of the value)";

    private static string Better(SweepComparison comparison) => comparison.Definition.Goal == MetricGoal.Minimize ? "lower" : "higher";

    private static string Names(IReadOnlyList<ContenderResult> contenders) => JoinAnd([.. contenders.Select(c => c.Contender)]);

    private static string JoinAnd(IReadOnlyList<string> parts) =>
        parts.Count <= 1 ? string.Concat(parts) : $"{string.Join(", ", parts.Take(parts.Count - 1))} and {parts[^1]}";
}
