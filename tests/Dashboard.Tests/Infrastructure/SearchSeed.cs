using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;
using GradDescent.Storage.Tests.Infrastructure;

namespace GradDescent.Dashboard.Tests.Infrastructure;

/// <summary>
/// A completed two-objective search sweep written straight into a store, as its sweep grain would have stored it:
/// objectives <c>mse</c> and <c>iterations_to_99pct_loss</c> (both minimised), 12 trials.
/// </summary>
public static class SearchSeed
{
    public const string SecondObjective = "iterations_to_99pct_loss";

    /// <summary>Trials 0–4: the front (mse 10k, iterations 100 − 10k).</summary>
    public static readonly long[] Front = [0, 1, 2, 3, 4];

    /// <summary>Trials 5–8: each just behind trial i − 5 on both objectives.</summary>
    public static readonly long[] Dominated = [5, 6, 7, 8];

    /// <summary>Trial 9 was stopped early with values that would beat every other trial; a pruned trial is never on the front.</summary>
    public const long Pruned = 9;

    /// <remarks>Trial 10 diverged, trial 11 failed.</remarks>
    public static async Task<SweepRecord> SweepAsync(IResultStore store, string name)
    {
        var record = new SweepRecord
        {
            Id = $"{name}-{Guid.NewGuid():N}"[..Math.Min(40, name.Length + 33)],
            Name = name,
            Experiment = "linear-regression",
            Spec = $"""
                name: {name}
                experiment: linear-regression
                parameters: {"{iterations: 20}"}
                search:
                  algorithm: nsga2
                  trials: 12
                  batch: 12
                  seed: 3
                  space:
                    learning_rate: {"{log_uniform: [1.0e-4, 1.0]}"}
                objectives:
                  - {"{metric: mse}"}
                  - {"{metric: loss, reach: 0.99}"}
                """,
            SpecFormat = "yaml",
            Status = SweepStatus.Completed,
            TotalTrials = 12,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await store.CreateSweepAsync(record);
        await store.SetSweepObjectivesAsync(record.Id, [new SweepObjectiveRecord("mse", MetricGoal.Minimize), new SweepObjectiveRecord(SecondObjective, MetricGoal.Minimize)]);
        await store.SaveResultsAsync([.. Enumerable.Range(0, 12).Select(i => Result(record.Id, i))]);
        return record;
    }

    /// <returns>The trial's (mse, iterations) as stored.</returns>
    public static (double Mse, double Iterations) Objectives(long index) => index switch
    {
        < 5 => (10.0 * index, 100 - (10.0 * index)),
        < 9 => ((10.0 * (index - 5)) + 5, 105 - (10.0 * (index - 5))),
        _ => (0, 0),
    };

    private static TrialResult Result(string sweepId, int index)
    {
        var status = index switch { 9 => TrialStatus.Pruned, 10 => TrialStatus.Diverged, 11 => TrialStatus.Failed, _ => TrialStatus.Completed };
        var (mse, iterations) = Objectives(index);
        var result = SampleResults.Result(sweepId, index, index == 10 ? double.NaN : mse, status, "adam", 0.001 * (index + 1), steps: 5);
        return result with { Metrics = result.Metrics.SetItem(SecondObjective, index == 10 ? double.NaN : iterations) };
    }
}
