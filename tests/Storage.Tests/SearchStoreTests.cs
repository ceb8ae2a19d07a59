using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage.Tests.Infrastructure;

namespace GradDescent.Storage.Tests;

/// <summary>What search sweeps need of the store (docs/search.md, docs/schema.md): pruned trials, results with chosen step
/// series, the sweep's objectives and the <c>pareto_front</c> view.</summary>
public sealed class SearchStoreTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly TestStores stores = new(postgres);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await stores.DisposeAsync();

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_PrunedTrial_RoundTripsAndCountsApartInProgress(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));

        await store.SaveResultsAsync(
        [
            SampleResults.Result("s", 0, mse: 3),
            SampleResults.Result("s", 1, mse: 2, status: TrialStatus.Pruned, steps: 2),
            SampleResults.Result("s", 2, mse: 1, status: TrialStatus.Pruned, steps: 3),
        ]);

        var results = await ToListAsync(store.GetResultsAsync("s"));
        var progress = await store.GetProgressAsync("s");
        Assert.Equal([TrialStatus.Completed, TrialStatus.Pruned, TrialStatus.Pruned], results.Select(r => r.Status));
        Assert.Equal((1L, 2L, 3L), (progress.Completed, progress.Pruned, progress.Stored));
        Assert.Equal((3.0, 0L), (progress.BestPrimaryMetric!.Value, progress.BestTrialIndex!.Value));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task GetResultsAsync_WithStepMetrics_AttachesThoseSeriesOnly(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await store.SaveResultsAsync([SampleResults.Result("s", 0, mse: 3), SampleResults.Result("s", 1, mse: 2, status: TrialStatus.Failed)]);

        var results = await ToListAsync(store.GetResultsAsync("s", ["loss", "intercept", "missing"]));
        var plain = await ToListAsync(store.GetResultsAsync("s", []));

        Assert.Equal(["intercept", "loss"], results[0].Steps.Select(s => s.Metric));
        Assert.Equal([1000f, 999.5f, 999f, 998.5f, 998f], results[0].Steps[1].Values);
        Assert.Equal(["intercept", "loss"], results[1].Steps.Select(s => s.Metric));
        Assert.All(plain, r => Assert.Empty(r.Steps));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SetSweepObjectivesAsync_Twice_KeepsTheLastListAndRefusesAnUnknownSweep(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));

        await store.SetSweepObjectivesAsync("s", [new("mse", MetricGoal.Minimize), new("slope", MetricGoal.Maximize)]);
        await store.SetSweepObjectivesAsync("s", [new("slope", MetricGoal.Maximize)]);
        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.SetSweepObjectivesAsync("nope", [new("mse", MetricGoal.Minimize)]));

        Assert.Equal(["slope maximize -1"], await RowsAsync(store, "SELECT name || ' ' || goal || ' ' || CAST(goal_sign AS text) FROM sweep_objectives WHERE sweep_id = 's' ORDER BY position"));
        Assert.Contains("'nope'", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task ParetoFront_TwoObjectives_ListsExactlyTheCompletedTrialsNoOtherDominates(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await store.CreateSweepAsync(SampleResults.Sweep("other"));
        var random = new Random(5);
        var results = new List<TrialResult>();
        for (var i = 0; i < 60; i++)
        {
            // mse on a coarse grid (ties happen), speed to maximise; some trials pruned, diverged or without the metric.
            var status = i % 10 == 3 ? TrialStatus.Pruned : i % 10 == 7 ? TrialStatus.Diverged : TrialStatus.Completed;
            var result = SampleResults.Result("s", i, mse: Math.Round(random.NextDouble() * 10, 0), status: status);
            var metrics = i % 10 == 9 ? result.Metrics : result.Metrics.SetItem("speed", Math.Round(random.NextDouble() * 10, 0));
            results.Add(result with { Metrics = i == 11 ? metrics.SetItem("mse", double.NaN) : metrics });
        }

        await store.SaveResultsAsync(results);
        await store.SaveResultsAsync([.. results.Select(r => r with { SweepId = "other", Metrics = r.Metrics.SetItem("mse", -r.Metrics["mse"]) })]);
        await store.SetSweepObjectivesAsync("s", [new("mse", MetricGoal.Minimize), new("speed", MetricGoal.Maximize)]);
        await store.SetSweepObjectivesAsync("other", [new("mse", MetricGoal.Minimize)]);

        var front = await RowsAsync(store,
            "SELECT CAST(trial_index AS text) || ' ' || objective_1 || '=' || CAST(value_1 AS text) || ' ' || objective_2 FROM pareto_front WHERE sweep_id = 's' ORDER BY trial_index");

        var candidates = results
            .Where(r => r.Status == TrialStatus.Completed && double.IsFinite(r.Metrics["mse"]) && r.Metrics.ContainsKey("speed"))
            .Select(r => (r.Index, Mse: r.Metrics["mse"], Speed: r.Metrics["speed"]))
            .ToList();
        var expected = candidates
            .Where(t => !candidates.Any(u => u.Mse <= t.Mse && u.Speed >= t.Speed && (u.Mse < t.Mse || u.Speed > t.Speed)))
            .Select(t => $"{t.Index} mse={t.Mse.ToString("0.0", CultureInfo.InvariantCulture)} speed")
            .ToList();
        Assert.InRange(expected.Count, 2, 20);
        Assert.Equal(expected, front.Select(f => NormalizeNumber(f)).ToList());
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task ParetoFront_SweepWithoutObjectives_IsEmpty(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await store.SaveResultsAsync([SampleResults.Result("s", 0, mse: 1)]);

        Assert.Empty(await RowsAsync(store, "SELECT CAST(trial_index AS text) FROM pareto_front WHERE sweep_id = 's'"));
    }

    /// <summary>"12 mse=3 speed" whatever the database printed 3.0 as.</summary>
    private static string NormalizeNumber(string row)
    {
        var parts = row.Split(' ');
        var (name, value) = (parts[1].Split('=')[0], double.Parse(parts[1].Split('=')[1], CultureInfo.InvariantCulture));
        return $"{parts[0]} {name}={value.ToString("0.0", CultureInfo.InvariantCulture)} {parts[2]}";
    }

    private static async Task<List<string>> RowsAsync(IResultStore store, string sql)
    {
        await using var connection = await ((ResultStore)store).Dialect.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
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
