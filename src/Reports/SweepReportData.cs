using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;
using GradDescent.Storage.Reports;

namespace GradDescent.Reports;

/// <summary>What one sweep's section is drawn from: the report views' rows, plus the step series of the trials it plots.</summary>
public sealed class SweepReportData
{
    private SweepReportData(SweepRecord sweep, ExperimentDefinition definition)
    {
        Sweep = sweep;
        Definition = definition;
    }

    public SweepRecord Sweep { get; }

    public ExperimentDefinition Definition { get; }

    public IReadOnlyList<OptimizerSummaryRow> Summary { get; private set; } = [];

    public IReadOnlyList<LearningRateCurveRow> Curve { get; private set; } = [];

    public IReadOnlyList<TrialConvergenceRow> Trials { get; private set; } = [];

    /// <summary>Per optimizer (best rank first): its best trial, the best seed at its best learning rate.</summary>
    public IReadOnlyList<BestTrial> BestTrials { get; private set; } = [];

    public static async Task<SweepReportData> LoadAsync(IResultStore store, SweepRecord sweep, int plottedOptimizers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sweep);
        var definition = ExperimentCatalog.Get(sweep.Experiment);
        var data = new SweepReportData(sweep, definition)
        {
            Summary = await ReportViews.OptimizerSummaryAsync(store, sweep.Id, cancellationToken).ConfigureAwait(false),
            Curve = await ReportViews.LearningRateCurveAsync(store, sweep.Id, cancellationToken).ConfigureAwait(false),
            Trials = await ReportViews.TrialConvergenceAsync(store, sweep.Id, cancellationToken).ConfigureAwait(false),
        };

        var best = new List<BestTrial>();
        foreach (var row in data.Summary.Where(r => r.N > 0).Take(plottedOptimizers))
        {
            var trial = data.Trials
                .Where(t => t.Parameters == row.BestParameters && t.Status == "completed" && t.PrimaryMetric is not null)
                .OrderBy(t => t.PrimaryMetric!.Value * (definition.Goal == MetricGoal.Minimize ? 1 : -1))
                .ThenBy(t => t.TrialIndex)
                .First();
            var steps = await store.GetStepsAsync(sweep.Id, trial.TrialIndex, cancellationToken).ConfigureAwait(false);
            var stored = await ReportViews.GetTrialAsync(store, sweep.Id, trial.TrialIndex, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"trial {trial.TrialIndex} of sweep '{sweep.Id}' vanished while the report was read");
            best.Add(new BestTrial(row, trial, steps, stored));
        }

        data.BestTrials = best;
        data.VaryingParameters = [.. data.Curve
            .SelectMany(c => ParameterText.Read(c.Parameters))
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .Where(g => g.Key is not ("optimizer" or "learning_rate") && g.Select(p => p.Value).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => g.Key)
            .Order(StringComparer.Ordinal)];
        return data;
    }

    /// <summary>Parameters other than optimizer and learning rate that take several values in the sweep.</summary>
    public IReadOnlyList<string> VaryingParameters { get; private set; } = [];

    /// <summary>A configuration's values of <see cref="VaryingParameters"/>, e.g. <c>dims=3 vectors=20</c>; empty when none vary.</summary>
    public string OtherParameters(string parametersJson)
    {
        var values = ParameterText.Read(parametersJson);
        return string.Join(' ', VaryingParameters.Select(p => $"{p}={values.GetValueOrDefault(p, "—")}"));
    }

    /// <summary>Per (optimizer, learning rate): the configuration with the best mean (the others differ in <see cref="VaryingParameters"/>).</summary>
    public IReadOnlyList<LearningRateCurveRow> BestPerLearningRate()
    {
        var sign = Definition.Goal == MetricGoal.Minimize ? 1 : -1;
        return [.. Curve.Where(c => c.Mean is { } m && double.IsFinite(m))
            .GroupBy(c => (c.Optimizer, c.LearningRate))
            .Select(g => g.OrderBy(c => c.Mean!.Value * sign).First())
            .OrderBy(c => c.Optimizer, StringComparer.Ordinal).ThenBy(c => c.LearningRate)];
    }

    /// <summary>The step series <paramref name="metric"/> of a plotted trial, or null.</summary>
    public static float[]? Series(BestTrial trial, string metric) =>
        trial.Steps.FirstOrDefault(s => s.Metric == metric)?.Values;
}
