using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;

namespace GradDescent.Grains.Tests;

/// <summary>Grid sweeps stored for the grain tests, their stored results, and completions a worker would send.</summary>
internal static class GrainSweeps
{
    /// <summary>A pending linear-regression sweep of <paramref name="trials"/> learning rates, two repeats each.</summary>
    public static async Task<string> CreateAsync(IResultStore store, int trials, int maxAttempts = 3)
    {
        var id = $"grain-test-{Guid.NewGuid():N}";
        var values = string.Join(", ", Enumerable.Range(1, trials).Select(i => $"0.{i}"));
        var spec = $"""
            name: grain-test
            experiment: linear-regression
            grid:
              learning_rate: [{values}]
            repeats: 2
            max_attempts: {maxAttempts}
            """;
        await store.CreateSweepAsync(new SweepRecord
        {
            Id = id,
            Name = "grain-test",
            Experiment = "linear-regression",
            Spec = spec,
            SpecFormat = "yaml",
            Status = SweepStatus.Pending,
            TotalTrials = trials * 2,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        return id;
    }

    public static async Task<List<TrialResult>> ResultsAsync(IResultStore store, string sweepId)
    {
        var results = new List<TrialResult>();
        await foreach (var result in store.GetResultsAsync(sweepId))
        {
            results.Add(result);
        }

        return results;
    }

    /// <summary>Every trial of the lease completed with <paramref name="mse"/>, carrying the lease's token.</summary>
    public static LeaseCompletion Completion(TrialLease lease, WorkerInfo worker, double mse) =>
        new(lease.LeaseId, worker.WorkerId, [.. lease.Trials.Select(t => TrialResults.For(t, mse, worker.WorkerId))], [], lease.Token);
}
