using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Storage;
using GradDescent.Reports.Document;
using GradDescent.Storage;
using GradDescent.Storage.Reports;
using GradDescent.Sweeps;

namespace GradDescent.Reports.Analysis;

/// <summary>
/// What a sweep says, as data: the axes it varies and their roles, each configuration's statistics (computed by the
/// database's report views), the contenders ranked within each problem group and overall, whether repeats mattered, and
/// which axes move the metric most. Reports render it; the dashboard can show the same rankings. Rules: docs/reports.md.
/// </summary>
public sealed class SweepComparison
{
    private SweepComparison(SweepRecord sweep, ExperimentDefinition definition, SweepSpec? spec)
    {
        Sweep = sweep;
        Definition = definition;
        Spec = spec;
    }

    public SweepRecord Sweep { get; }

    public ExperimentDefinition Definition { get; }

    /// <summary>The stored spec, parsed; null when this build cannot read it any more.</summary>
    public SweepSpec? Spec { get; }

    /// <summary>The parameters the sweep varies, in spec order.</summary>
    public IReadOnlyList<SweptAxis> Axes { get; private set; } = [];

    public IReadOnlyList<SweptAxis> ContenderAxes => [.. Axes.Where(a => a.Role == AxisRole.Contender)];

    public IReadOnlyList<SweptAxis> ProblemAxes => [.. Axes.Where(a => a.Role == AxisRole.Problem)];

    public IReadOnlyList<SweptAxis> TuningAxes => [.. Axes.Where(a => a.Role == AxisRole.Tuning)];

    /// <summary>What the ranking compares, e.g. "optimizer" or "method × optimizer".</summary>
    public string ContenderKind => ContenderAxes.Count == 0 ? "configuration" : string.Join(" × ", ContenderAxes.Select(a => a.Name));

    public IReadOnlyList<ConfigurationResult> Configurations { get; private set; } = [];

    /// <summary>The trials in one pass: counts by status, and per configuration its best trial and seeds within 1%.</summary>
    public TrialDigest Trials { get; private set; } = new(1);

    /// <summary>Every contender's label, in the order of the contender axes' values.</summary>
    public IReadOnlyList<string> Contenders { get; private set; } = [];

    /// <summary>One ranking per problem group (one group when no problem parameter varies).</summary>
    public IReadOnlyList<GroupRanking> Groups { get; private set; } = [];

    /// <summary>Contenders across groups, best mean rank first (one group: its ranks).</summary>
    public IReadOnlyList<OverallRank> Overall { get; private set; } = [];

    public Determinism Determinism { get; private set; } = new(1, false, null);

    /// <summary>
    /// Share of the variation of configuration ranks (within each group) explained by each contender or tuning axis:
    /// η² of the ranks grouped by the axis' value, 0 (no effect) to 1 (the axis alone orders them).
    /// </summary>
    public IReadOnlyDictionary<string, double> Influence { get; private set; } = ImmutableDictionary<string, double>.Empty;

    /// <summary>The contender and tuning axes with at least two values, most influential first.</summary>
    public IReadOnlyList<SweptAxis> InfluentialAxes => [.. Axes
        .Where(a => a.Role != AxisRole.Problem && Influence.ContainsKey(a.Name))
        .OrderByDescending(a => Influence[a.Name])
        .ThenBy(a => Axes.ToList().IndexOf(a))];

    public bool MultiGroup => Groups.Count > 1;

    /// <summary>+1 when lower is better, −1 when higher is.</summary>
    public int Sign => Definition.Goal == MetricGoal.Minimize ? 1 : -1;

    /// <summary>The best completed trials, as the page shows them; set when the comparison was loaded with a trials CSV.</summary>
    public ReportTable? BestTrials { get; private set; }

    public static Task<SweepComparison> LoadAsync(IResultStore store, SweepRecord sweep, CancellationToken cancellationToken) =>
        LoadAsync(store, sweep, trialsCsv: null, cancellationToken);

    /// <summary>
    /// Reads the configurations, then the trials in one pass: each trial feeds the digest and, when
    /// <paramref name="trialsCsv"/> is given, is written to that CSV file at once (<see cref="BestTrials"/> keeps the best).
    /// On PostgreSQL the trial view is the report's most expensive query (docs/schema.md): it is read once.
    /// </summary>
    public static async Task<SweepComparison> LoadAsync(IResultStore store, SweepRecord sweep, string? trialsCsv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sweep);
        var curve = await ReportViews.LearningRateCurveAsync(store, sweep.Id, cancellationToken).ConfigureAwait(false);
        var definition = ExperimentCatalog.Get(sweep.Experiment);
        var sign = definition.Goal == MetricGoal.Minimize ? 1 : -1;
        var trials = new TrialDigest(sign);
        var rows = ReportViews.TrialConvergenceStreamAsync(store, sweep.Id, cancellationToken);
        if (trialsCsv is null)
        {
            await foreach (var row in rows.ConfigureAwait(false))
            {
                trials.Add(row);
            }

            return Build(sweep, curve, trials);
        }

        var axes = SweepAxes.Find(definition, ParseSpec(sweep), [.. curve.Select(c => ParameterText.Read(c.Parameters))]);
        await using var csv = await TrialsCsvWriter.CreateAsync(trialsCsv, axes, definition.PrimaryMetric, sign, cancellationToken).ConfigureAwait(false);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            trials.Add(row);
            await csv.AddAsync(row, cancellationToken).ConfigureAwait(false);
        }

        var comparison = Build(sweep, curve, trials);
        comparison.BestTrials = csv.Shown();
        return comparison;
    }

    /// <summary>The comparison from the views' rows (no database access).</summary>
    public static SweepComparison Build(SweepRecord sweep, IReadOnlyList<LearningRateCurveRow> curve, IReadOnlyList<TrialConvergenceRow> trials)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        return Build(sweep, curve, TrialDigest.From(trials, ExperimentCatalog.Get(sweep.Experiment).Goal == MetricGoal.Minimize ? 1 : -1));
    }

    /// <summary>The comparison from the configurations' rows and the trials' digest (no database access).</summary>
    public static SweepComparison Build(SweepRecord sweep, IReadOnlyList<LearningRateCurveRow> curve, TrialDigest trials)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(trials);
        var definition = ExperimentCatalog.Get(sweep.Experiment);
        var comparison = new SweepComparison(sweep, definition, ParseSpec(sweep));
        var parameters = curve.Select(c => (IReadOnlyDictionary<string, string>)ParameterText.Read(c.Parameters)).ToList();
        var axes = SweepAxes.Find(definition, comparison.Spec, parameters);
        comparison.Axes = axes;
        comparison.Trials = trials;

        var contenderAxes = comparison.ContenderAxes;
        var problemAxes = comparison.ProblemAxes;
        var tuningAxes = comparison.TuningAxes;
        static string Label(IReadOnlyDictionary<string, string> values, IReadOnlyList<SweptAxis> of, bool named) =>
            string.Join(named ? " " : " / ", of.Select(a => (named ? $"{a.Name}=" : string.Empty) + values.GetValueOrDefault(a.Name, SweepAxes.Absent)));
        var fallbackContender = FallbackContender(definition, parameters);
        var configurations = curve.Select((row, i) => new ConfigurationResult(
                row,
                parameters[i],
                contenderAxes.Count == 0 ? fallbackContender : Label(parameters[i], contenderAxes, named: false),
                Label(parameters[i], problemAxes, named: true)))
            .OrderBy(c => Position(c, problemAxes))
            .ThenBy(c => Position(c, contenderAxes))
            .ThenBy(c => Position(c, tuningAxes))
            .ThenBy(c => c.Row.Parameters, StringComparer.Ordinal)
            .ToList();
        comparison.Configurations = configurations;
        comparison.Contenders = [.. configurations.OrderBy(c => Position(c, contenderAxes)).Select(c => c.Contender).Distinct()];

        var groups = configurations.GroupBy(c => c.Group).ToList();
        comparison.Groups = [.. groups.Select(g => comparison.RankGroup(g.Key, g.ToList()))];
        comparison.Groups = [.. comparison.Groups.Select(g => g with { Complete = comparison.Contenders.All(c => g.Find(c)?.Ranked == true) })];
        comparison.Overall = comparison.RankOverall();
        comparison.Determinism = Determine(definition, comparison.Spec, curve, parameters, trials);
        comparison.Influence = MeasureInfluence(comparison, [.. contenderAxes, .. tuningAxes]);
        return comparison;
    }

    /// <summary>The best run of a contender in its group: the best completed seed of its best configuration, with steps and artefacts.</summary>
    /// <returns>Null when the contender has no completed trial there.</returns>
    public async Task<BestRun?> LoadBestRunAsync(IResultStore store, ContenderResult contender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(contender);
        if (contender.Best is not { } best)
        {
            return null;
        }

        var trial = Trials.Of(best.Row.Parameters)?.Best;
        if (trial is null)
        {
            return null;
        }

        var steps = await store.GetStepsAsync(Sweep.Id, trial.TrialIndex, cancellationToken).ConfigureAwait(false);
        var stored = await ReportViews.GetTrialAsync(store, Sweep.Id, trial.TrialIndex, cancellationToken).ConfigureAwait(false);
        var artifacts = await ReportViews.TrialArtifactsAsync(store, Sweep.Id, trial.TrialIndex, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : new BestRun(contender, trial, steps, stored, artifacts);
    }

    /// <summary>The single group's ranking, or the first group's; what a one-group sweep's verdict reads.</summary>
    public GroupRanking MainGroup => Groups.Count > 0 ? Groups[0] : new GroupRanking(string.Empty, ImmutableDictionary<string, string>.Empty, [], false);

    private GroupRanking RankGroup(string group, List<ConfigurationResult> configurations)
    {
        var values = ProblemAxes.ToDictionary(a => a.Name, a => configurations[0].ValueOf(a.Name), StringComparer.Ordinal);
        var results = new List<ContenderResult>();
        foreach (var contender in Contenders)
        {
            var own = configurations.Where(c => c.Contender == contender).ToList();
            if (own.Count == 0)
            {
                continue;
            }

            // Configurations are already in tuning-axis order, so the first of equal means has the smallest learning rate.
            var best = own.Where(c => c.Row.N > 0 && c.Row.Mean is { } m && double.IsFinite(m))
                .OrderBy(c => c.AllConverged ? 0 : 1)
                .ThenBy(c => c.Row.Mean!.Value * Sign)
                .FirstOrDefault();
            var seeds = best is null ? null : Trials.Of(best.Row.Parameters);
            var trials = own.Sum(c => c.Row.Trials);
            results.Add(new ContenderResult
            {
                Contender = contender,
                Group = group,
                Best = best,
                Configurations = own.Count,
                ConvergedConfigurations = own.Count(c => c.AllConverged),
                DivergedConfigurations = own.Count(c => c.Row.Diverged > 0),
                Trials = trials,
                MeanDurationMs = trials == 0 ? 0 : own.Sum(c => c.Row.MeanDurationMs * c.Row.Trials) / trials,
                IterationsToOptimum = seeds is not { Reached: > 0 } ? null : seeds.ReachedIterations / seeds.Reached,
                SeedsWithinOptimum = seeds?.Reached ?? 0,
            });
        }

        // Rank blocks: the first unplaced contender leads a block; everyone within the equivalence margin of the leader
        // joins it and shares its rank (competition ranking: the next block's rank counts the places taken).
        var ordered = results.Where(r => r.Best is not null).OrderBy(r => r.Mean!.Value * Sign).ToList();
        var ranked = new List<ContenderResult>();
        var position = 0;
        while (position < ordered.Count)
        {
            var leader = ordered[position].Mean!.Value;
            var margin = ComparisonRules.EquivalenceMargin(leader, Definition);
            var rank = position + 1;
            while (position < ordered.Count && Math.Abs(ordered[position].Mean!.Value - leader) <= margin)
            {
                ranked.Add(ordered[position] with { Rank = rank });
                position++;
            }
        }

        return new GroupRanking(group, values, [.. ranked, .. results.Where(r => r.Best is null)], Complete: false);
    }

    private List<OverallRank> RankOverall()
    {
        var complete = Groups.Where(g => g.Complete).ToList();
        var rows = Contenders.Select(contender =>
        {
            var ranks = complete.Select(g => (double)g.Find(contender)!.Rank!.Value).ToList();
            return new OverallRank(
                contender,
                Rank: null,
                MeanRank: ranks.Count == 0 ? null : ranks.Average(),
                Ci95HalfWidth: StudentT.HalfWidth95(ranks),
                Groups: ranks.Count,
                FirstPlaces: ranks.Count(r => r == 1));
        }).ToList();
        var order = rows.Where(r => r.MeanRank is not null).OrderBy(r => r.MeanRank).ToList();
        var placed = order.Select(r => r with { Rank = 1 + order.Count(o => o.MeanRank < r.MeanRank - 1e-12) }).ToList();
        return [.. placed, .. rows.Where(r => r.MeanRank is null)];
    }

    private static Determinism Determine(
        ExperimentDefinition definition, SweepSpec? spec, IReadOnlyList<LearningRateCurveRow> curve, List<IReadOnlyDictionary<string, string>> parameters, TrialDigest trials)
    {
        var repeats = spec?.Repeats ?? (trials.Stored == 0 ? 1 : (int)trials.MostTrials);
        var seedUnused = parameters.Count > 0 && parameters.All(p => !definition.UsesSeed(new ParameterSet(p.ToImmutableSortedDictionary(StringComparer.Ordinal))));
        var repeated = curve.Where(c => c.N >= 2).ToList();
        bool? identical = repeated.Count == 0 ? null : repeated.All(c => c.MinValue == c.MaxValue);
        return new Determinism(repeats, seedUnused, identical);
    }

    /// <summary>η² of within-group configuration ranks by each axis' value (ranks scaled to 0..1 so groups of any size weigh alike).</summary>
    private static Dictionary<string, double> MeasureInfluence(SweepComparison comparison, IReadOnlyList<SweptAxis> axes)
    {
        var scored = new List<(ConfigurationResult Configuration, double Rank)>();
        foreach (var group in comparison.Configurations.GroupBy(c => c.Group))
        {
            var members = group.ToList();
            if (members.Count < 2)
            {
                continue;
            }

            // Configurations with no completed trial rank last, tied.
            // Mid-ranks from one sort (a 100,000-configuration group would take minutes pair by pair).
            var keyed = members.Select(c => (c, Key: c.Row.Mean is { } m && double.IsFinite(m) ? m * comparison.Sign : double.PositiveInfinity)).ToList();
            var sorted = keyed.Select(k => k.Key).Order().ToArray();
            foreach (var (configuration, key) in keyed)
            {
                var below = FirstAtLeast(sorted, key);
                var equal = FirstAbove(sorted, key) - below;
                scored.Add((configuration, (below + ((equal - 1) / 2.0)) / (members.Count - 1)));
            }
        }

        var influence = new Dictionary<string, double>(StringComparer.Ordinal);
        if (scored.Count < 2)
        {
            return influence;
        }

        var mean = scored.Average(s => s.Rank);
        var total = scored.Sum(s => (s.Rank - mean) * (s.Rank - mean));
        foreach (var axis in axes.Where(a => a.Values.Count > 1))
        {
            var between = scored.GroupBy(s => s.Configuration.ValueOf(axis.Name))
                .Sum(g => g.Count() * Math.Pow(g.Average(s => s.Rank) - mean, 2));
            influence[axis.Name] = total <= 0 ? 0 : between / total;
        }

        return influence;
    }

    /// <summary>How many of the ascending <paramref name="sorted"/> keys are below <paramref name="key"/>.</summary>
    private static int FirstAtLeast(double[] sorted, double key)
    {
        var (low, high) = (0, sorted.Length);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            (low, high) = sorted[middle] < key ? (middle + 1, high) : (low, middle);
        }

        return low;
    }

    /// <summary>How many of the ascending <paramref name="sorted"/> keys are at or below <paramref name="key"/>.</summary>
    private static int FirstAbove(double[] sorted, double key)
    {
        var (low, high) = (0, sorted.Length);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            (low, high) = sorted[middle] <= key ? (middle + 1, high) : (low, middle);
        }

        return low;
    }

    private static string FallbackContender(ExperimentDefinition definition, List<IReadOnlyDictionary<string, string>> parameters)
    {
        var first = parameters.FirstOrDefault() ?? ImmutableDictionary<string, string>.Empty;
        var choices = definition.Parameters
            .Where(p => p.Kind == ParameterKind.Choice && !definition.ProblemParameters.Contains(p.Name, StringComparer.Ordinal) && first.ContainsKey(p.Name))
            .Select(p => first[p.Name])
            .ToList();
        return choices.Count == 0 ? definition.Name : string.Join(" / ", choices);
    }

    /// <summary>Mixed-radix position of a configuration by the axes' value order (values not listed come last).</summary>
    private static double Position(ConfigurationResult configuration, IReadOnlyList<SweptAxis> axes)
    {
        var position = 0.0;
        foreach (var axis in axes)
        {
            var index = axis.IndexOf(configuration.ValueOf(axis.Name));
            position = (position * (axis.Values.Count + 1)) + (index < 0 ? axis.Values.Count : index);
        }

        return position;
    }

    private static SweepSpec? ParseSpec(SweepRecord sweep)
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
}
