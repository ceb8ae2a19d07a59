using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage.Tests.Infrastructure;

namespace GradDescent.Storage.Tests;

public sealed class TrialResultStoreTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly TestStores stores = new(postgres);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await stores.DisposeAsync();

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_DeliveredTwice_StoresEachTrialOnce(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        var first = Enumerable.Range(0, 10).Select(i => SampleResults.Result("s", i, mse: 100 + i)).ToList();
        // Late duplicates of 5..9 (from another worker, other values) plus new trials 10..14.
        var second = Enumerable.Range(5, 10).Select(i => SampleResults.Result("s", i, mse: 1, workerId: "late")).ToList();

        var storedFirst = await store.SaveResultsAsync(first);
        var storedSecond = await store.SaveResultsAsync(second);
        var storedAgain = await store.SaveResultsAsync(second);

        Assert.Equal(10, storedFirst);
        Assert.Equal(5, storedSecond);
        Assert.Equal(0, storedAgain);
        var results = await ToListAsync(store.GetResultsAsync("s"));
        Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)i), results.Select(r => r.Index));
        Assert.Equal(Enumerable.Repeat("worker-1", 10).Concat(Enumerable.Repeat("late", 5)), results.Select(r => r.WorkerId));
        Assert.Equal(105.0, results[5].Metrics["mse"]);
        var steps = await store.GetStepsAsync("s", 5);
        Assert.Equal([995f, 994.5f, 994f, 993.5f, 993f], steps.Single(s => s.Metric == "loss").Values);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_RepeatWithinBatch_KeepsFirstOccurrence(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));

        var stored = await store.SaveResultsAsync(
        [
            SampleResults.Result("s", 0, mse: 1, workerId: "first"),
            SampleResults.Result("s", 0, mse: 2, workerId: "second"),
            SampleResults.Result("s", 1, mse: 3),
        ]);

        Assert.Equal(2, stored);
        var results = await ToListAsync(store.GetResultsAsync("s"));
        Assert.Equal(["first", "worker-1"], results.Select(r => r.WorkerId));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_BatchWithUnknownSweep_StoresNothing(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.SaveResultsAsync(
            [SampleResults.Result("s", 0, mse: 1), SampleResults.Result("no-such-sweep", 1, mse: 2)]));

        Assert.StartsWith("no sweep has id 'no-such-sweep' (result for trial 1)", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.GetStoredTrialIndexesAsync("s"));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_InvalidResult_ThrowsNamingTheField(string provider)
    {
        var store = await stores.CreateAsync(provider);
        var bad = SampleResults.Result("s", 1, mse: 1) with { Experiment = "no-such-experiment" };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.SaveResultsAsync([SampleResults.Result("s", 0, mse: 1), bad]));

        Assert.StartsWith("results[1].Experiment 'no-such-experiment' is not a known experiment", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task GetResultsAsync_StoredResult_RoundTripsEveryFieldButSteps(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        var diverged = SampleResults.Result("s", 3, mse: double.NaN, status: TrialStatus.Diverged, optimizer: "adam", learningRate: 0.5);

        await store.SaveResultsAsync([diverged]);

        var stored = Assert.Single(await ToListAsync(store.GetResultsAsync("s")));
        Assert.Empty(stored.Steps);
        Assert.Equal(diverged.Parameters.Values, stored.Parameters.Values);
        Assert.Equal(diverged.Metrics.Keys, stored.Metrics.Keys);
        Assert.True(double.IsNaN(stored.Metrics["mse"]));
        Assert.Equal(-100.25, stored.Metrics["intercept"]);
        Assert.Equal(diverged with { Steps = stored.Steps, Metrics = stored.Metrics, Parameters = stored.Parameters }, stored);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task GetStepsAsync_SeriesWithNonFiniteValues_RoundTripsExactly(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        float[] values = [1.5f, 0.1f, float.MaxValue, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.0078125f];
        var result = SampleResults.Result("s", 0, mse: 1) with { Steps = [new StepSeries("loss", values)] };

        await store.SaveResultsAsync([result]);

        var series = Assert.Single(await store.GetStepsAsync("s", 0));
        Assert.Equal("loss", series.Metric);
        Assert.Equal(values, series.Values);
        Assert.Empty(await store.GetStepsAsync("s", 1));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task GetStoredTrialIndexesAsync_PartlyStoredSweep_ReturnsExactlyTheStoredIndexes(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await store.CreateSweepAsync(SampleResults.Sweep("other"));
        long[] storedIndexes = [0, 2, 3, 7, 1_000_000];
        await store.SaveResultsAsync([.. storedIndexes.Select(i => SampleResults.Result("s", i, mse: 1))]);
        await store.SaveResultsAsync([SampleResults.Result("other", 5, mse: 1)]);

        var indexes = await store.GetStoredTrialIndexesAsync("s");

        Assert.Equal(storedIndexes, indexes.Order());
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task GetProgressAsync_MinimizedMetric_CountsByStatusAndBestIsLowestCompleted(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s", totalTrials: 10));
        await store.SaveResultsAsync(
        [
            SampleResults.Result("s", 0, mse: 50),
            SampleResults.Result("s", 1, mse: 20.5),
            SampleResults.Result("s", 2, mse: 1, status: TrialStatus.Diverged),
            SampleResults.Result("s", 3, mse: 0.5, status: TrialStatus.Failed),
            SampleResults.Result("s", 4, mse: 20.5),
            SampleResults.Result("s", 5, mse: double.NaN),
        ]);

        var progress = await store.GetProgressAsync("s");

        Assert.Equal(
            new SweepProgress
            {
                SweepId = "s",
                TotalTrials = 10,
                Completed = 4,
                Diverged = 1,
                Failed = 1,
                PrimaryMetric = "mse",
                Goal = MetricGoal.Minimize,
                BestPrimaryMetric = 20.5,
                BestTrialIndex = 1,
            },
            progress);
        Assert.Equal(6, progress.Stored);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task GetProgressAsync_NothingStored_ZeroCountsAndNoBest(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s", totalTrials: 4, experiment: VectorSpreadDefinition.Name));

        var progress = await store.GetProgressAsync("s");

        Assert.Equal((0L, 0L, 0L), (progress.Completed, progress.Diverged, progress.Failed));
        Assert.Equal(("min_angle_deg", MetricGoal.Maximize), (progress.PrimaryMetric, progress.Goal));
        Assert.Null(progress.BestPrimaryMetric);
        Assert.Null(progress.BestTrialIndex);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.GetProgressAsync("missing"));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task GetProgressAsync_MaximizedMetric_BestIsHighest(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s", totalTrials: 3, experiment: VectorSpreadDefinition.Name));
        var results = new[] { 30.0, 72.5, 60.0 }.Select((angle, i) => SampleResults.Result("s", i, mse: 0) with
        {
            Experiment = VectorSpreadDefinition.Name,
            Metrics = System.Collections.Immutable.ImmutableSortedDictionary<string, double>.Empty.Add("min_angle_deg", angle),
        });
        await store.SaveResultsAsync([.. results]);

        var progress = await store.GetProgressAsync("s");

        Assert.Equal((72.5, 1L), (progress.BestPrimaryMetric, progress.BestTrialIndex));
        Assert.Equal(3, progress.Completed);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
