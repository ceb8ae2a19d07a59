using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;

namespace GradDescent.Reports.Tests.Infrastructure;

/// <summary>Stores a small sweep with hand-chosen outcomes: its spec text and one result per trial.</summary>
public sealed class SweepStore(string id, ExperimentDefinition experiment, string spec)
{
    private readonly List<TrialResult> results = [];

    public string Id => id;

    /// <summary>Adds a trial; <paramref name="metric"/> null: diverged; <paramref name="pruned"/>: stopped early by the search (its metric is the value when it stopped).</summary>
    public SweepStore Trial(
        IReadOnlyDictionary<string, string> parameters,
        int seed,
        double? metric,
        float[] steps,
        IReadOnlyDictionary<string, double>? metrics = null,
        string? detail = null,
        IReadOnlyList<TrialArtifact>? artifacts = null,
        bool pruned = false)
    {
        var all = new Dictionary<string, double>(metrics ?? new Dictionary<string, double>(), StringComparer.Ordinal) { [experiment.PrimaryMetric] = metric ?? double.NaN };
        results.Add(KnownSweep.Result(id, results.Count, experiment.Name, experiment.Bind(parameters.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value))), seed,
            metric is null ? TrialStatus.Diverged : pruned ? TrialStatus.Pruned : TrialStatus.Completed) with
        {
            Metrics = all.ToImmutableSortedDictionary(StringComparer.Ordinal),
            Steps = [new StepSeries(experiment.StepMetric, steps)],
            DivergedAtStep = metric is null ? steps.Length - 1 : null,
            DetailJson = detail,
            Artifacts = [.. artifacts ?? []],
        });
        return this;
    }

    public async Task StoreAsync(IResultStore store)
    {
        await store.CreateSweepAsync(KnownSweep.Sweep(id, id, experiment.Name, results.Count) with { Spec = spec, SpecFormat = "yaml" });
        await store.SaveResultsAsync(results);
    }
}
