using System.Collections.Immutable;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Search;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using Xunit;

namespace GradDescent.Grains.Tests;

/// <summary>
/// Search sweeps through the sweep grain and the store (docs/search.md): TPE proposes one generation at a time from the
/// stored results, leases carry the generation's early-stopping plan, and a grain that starts again from the store proposes
/// exactly what an uninterrupted one did.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SearchSweepGrainTests(ClusterFixture fixture)
{
    private const int Iterations = 20;

    private static readonly WorkerInfo Worker = new("worker-a", "cpu", 1, "host-a");

    [Fact]
    public async Task LeaseAsync_TpeSweep_LeasesAGenerationOnlyOnceTheOneBeforeIsStored()
    {
        var sweepId = await CreateSweepAsync(Spec(seed: 3));
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();

        var first = (await sweep.LeaseAsync(Worker, 10))!;
        var waiting = await sweep.LeaseAsync(Worker, 10);
        Assert.True(await sweep.CompleteAsync(Complete(first)));
        var second = (await sweep.LeaseAsync(Worker, 10))!;

        Assert.Equal([0L, 1, 2, 3], first.Trials.Select(t => t.Index));
        Assert.Null(waiting);
        Assert.Equal([4L, 5, 6, 7], second.Trials.Select(t => t.Index));
        Assert.All(first.Trials.Concat(second.Trials), t => Assert.Equal(0, t.Seed));
    }

    [Fact]
    public async Task LeaseAsync_AshaSweep_CarriesThePlanBuiltFromTheStoredGenerations()
    {
        var sweepId = await CreateSweepAsync(Spec(seed: 3));
        var sweep = fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync();

        var first = (await sweep.LeaseAsync(Worker, 10))!;
        Assert.True(await sweep.CompleteAsync(Complete(first)));
        var second = (await sweep.LeaseAsync(Worker, 10))!;

        // Rungs at 2, 6 and 18 (min_iterations 2, η 3); the first generation saw no results, the second sees four.
        Assert.Equal((EarlyStoppingRule.Asha, "loss", false), (first.Stopping!.Rule, first.Stopping.Metric, first.Stopping.Maximize));
        Assert.Equal([2, 6, 18], first.Stopping.Checkpoints.Select(c => c.Iteration));
        Assert.All(first.Stopping.Checkpoints, c => Assert.Empty(c.History));
        Assert.Equal(4, second.Stopping!.Checkpoints[0].History.Length);
        Assert.Equal(
            first.Trials.Select(t => (double)Series(t)[1]).Order(),
            second.Stopping.Checkpoints[0].History);
    }

    [Fact]
    public async Task RunToEnd_AshaSweep_StoresPrunedTrialsAndCountsThemApart()
    {
        var (sweepId, _) = await RunAsync(Spec(seed: 3));

        var snapshot = await fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId).GetSnapshotAsync();
        var results = await ResultsAsync(sweepId, ["loss"]);
        var pruned = results.Where(r => r.Status == TrialStatus.Pruned).ToList();
        var progress = await fixture.Store.GetProgressAsync(sweepId);

        Assert.Equal(SweepStatus.Completed, snapshot.State);
        Assert.NotEmpty(pruned);
        Assert.Equal((24L, (long)pruned.Count), (snapshot.Done, snapshot.Pruned));
        Assert.Equal((24L, (long)pruned.Count, 24L - pruned.Count), (progress.Stored, progress.Pruned, progress.Completed));
        Assert.All(pruned, r => Assert.InRange(r.Steps.Single().Values.Length, 2, Iterations - 1));
    }

    [Fact]
    public async Task RunToEnd_SameSpecTwice_ProposesTheSamePoints_AnotherSeedOthers()
    {
        var (_, first) = await RunAsync(Spec(seed: 3));
        var (_, again) = await RunAsync(Spec(seed: 3));
        var (_, other) = await RunAsync(Spec(seed: 4));

        Assert.Equal(first, again);
        Assert.NotEqual(first[23], other[23]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(13)]
    [InlineData(23)]
    public async Task StartAsync_InterruptedAfterSomeTrials_ProposesExactlyWhatTheUninterruptedSweepDid(int storedBefore)
    {
        var spec = Spec(seed: 5);
        var (uninterrupted, expected) = await RunAsync(spec);

        // The restarted control plane: a fresh grain reads what the store held when the first one stopped.
        var resumedId = await CreateSweepAsync(spec);
        var kept = (await ResultsAsync(uninterrupted, ["loss"])).Where(r => r.Index < storedBefore).Select(r => r with { SweepId = resumedId }).ToList();
        if (kept.Count > 0)
        {
            await fixture.Store.SaveResultsAsync(kept);
        }

        var proposals = kept.ToDictionary(r => r.Index, r => r.Parameters.Values);
        await DriveAsync(fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(resumedId), proposals);

        Assert.Equal(expected, proposals.OrderBy(p => p.Key).Select(p => p.Value).ToList());
        var statuses = (await ResultsAsync(resumedId, [])).Select(r => r.Status);
        Assert.Equal((await ResultsAsync(uninterrupted, [])).Select(r => r.Status), statuses);
    }

    [Fact]
    public async Task RunToEnd_ReachObjective_StoresItsValueAsAMetricAndTheObjectives()
    {
        var spec = """
            name: grain-pareto
            experiment: linear-regression
            parameters: {iterations: 20}
            search:
              algorithm: nsga2
              trials: 8
              batch: 4
              seed: 2
              space:
                learning_rate: {log_uniform: [1.0e-4, 1.0]}
            objectives:
              - {metric: mse}
              - {metric: loss, reach: 0.99}
            """;

        var (sweepId, _) = await RunAsync(spec);

        var results = await ResultsAsync(sweepId, ["loss"]);
        Assert.All(results, r => Assert.Equal(
            ObjectiveOf(r.Steps.Single().Values, 0.99),
            r.Metrics["iterations_to_99pct_loss"]));
    }

    /// <summary>Index of the first value within 1% of the final one, counted from 1 (what <c>reach: 0.99</c> means).</summary>
    private static double ObjectiveOf(float[] series, double reach)
    {
        var tolerance = (1 - reach) * Math.Abs(series[^1]);
        return Array.FindIndex(series, v => Math.Abs(v - series[^1]) <= tolerance) + 1;
    }

    private static string Spec(int seed) => $$"""
        name: grain-tpe
        experiment: linear-regression
        parameters: {iterations: {{Iterations}}}
        search:
          algorithm: tpe
          trials: 24
          batch: 4
          seed: {{seed}}
          startup_trials: 4
          space:
            optimizer: {choice: [sgd, adam]}
            learning_rate: {log_uniform: [1.0e-4, 1.0]}
        early_stopping: {algorithm: asha, metric_step: 2, min_iterations: 2, reduction_factor: 3}
        """;

    /// <summary>Runs a fresh sweep of <paramref name="spec"/> to its end; returns its id and each trial's parameters by index.</summary>
    private async Task<(string SweepId, List<ImmutableSortedDictionary<string, string>> Proposals)> RunAsync(string spec)
    {
        var sweepId = await CreateSweepAsync(spec);
        var proposals = new Dictionary<long, ImmutableSortedDictionary<string, string>>();
        await DriveAsync(fixture.Cluster.GrainFactory.GetGrain<ISweepGrain>(sweepId), proposals);
        return (sweepId, [.. proposals.OrderBy(p => p.Key).Select(p => p.Value)]);
    }

    /// <summary>A worker that computes every lease at once, as the real one would, until the sweep completes.</summary>
    private static async Task DriveAsync(ISweepGrain sweep, Dictionary<long, ImmutableSortedDictionary<string, string>> proposals)
    {
        await sweep.StartAsync();
        while (await sweep.LeaseAsync(Worker, 10) is { } lease)
        {
            foreach (var trial in lease.Trials)
            {
                proposals.Add(trial.Index, trial.Parameters.Values);
            }

            Assert.True(await sweep.CompleteAsync(Complete(lease)));
        }

        Assert.Equal(SweepStatus.Completed, (await sweep.GetSnapshotAsync()).State);
    }

    /// <summary>
    /// Results from a closed-form stand-in for linear regression: the loss falls from mse + 5 towards mse, faster for
    /// adam; each trial stops where the lease's plan stops its series, as the fused program would stop its row.
    /// </summary>
    private static LeaseCompletion Complete(TrialLease lease)
    {
        var results = new List<TrialResult>();
        foreach (var trial in lease.Trials)
        {
            var series = Series(trial);
            var batch = new BatchStopping(lease.Stopping, rows: 1, Iterations);
            while (batch.NextCheckpoint is not null)
            {
                batch.Decide((_, iteration) => series[iteration - 1], _ => false);
            }

            var stoppedAt = batch.StoppedAt[0];
            var kept = stoppedAt is { } at ? series[..at] : series;
            var result = TrialResults.For(trial, kept[^1], Worker.WorkerId, stoppedAt is null ? TrialStatus.Completed : TrialStatus.Pruned);
            results.Add(result with { Steps = [new StepSeries("loss", kept)] });
        }

        return new LeaseCompletion(lease.LeaseId, Worker.WorkerId, [.. results], []);
    }

    private static float[] Series(TrialSpec trial)
    {
        var adam = trial.Parameters.GetTextOrNull("optimizer") == "adam";
        var rate = trial.Parameters.GetDouble("learning_rate");
        var final = Math.Pow(Math.Log10(rate) + (adam ? 1.5 : 2.5), 2) + (adam ? 0.1 : 0.3);
        return [.. Enumerable.Range(0, Iterations).Select(i => (float)(final + (5.0 / (1 + (i * (adam ? 1 : 0.3))))))];
    }

    private async Task<string> CreateSweepAsync(string spec)
    {
        var id = $"search-test-{Guid.NewGuid():N}";
        var parsed = GradDescent.Sweeps.SweepSpecParser.Parse(spec, "search.yaml");
        await fixture.Store.CreateSweepAsync(new SweepRecord
        {
            Id = id,
            Name = parsed.Name,
            Experiment = parsed.Experiment,
            Spec = spec,
            SpecFormat = "yaml",
            Status = SweepStatus.Pending,
            TotalTrials = parsed.TotalTrials,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        return id;
    }

    private async Task<List<TrialResult>> ResultsAsync(string sweepId, IReadOnlyCollection<string> series)
    {
        var results = new List<TrialResult>();
        await foreach (var result in fixture.Store.GetResultsAsync(sweepId, series))
        {
            results.Add(result);
        }

        return results;
    }
}
