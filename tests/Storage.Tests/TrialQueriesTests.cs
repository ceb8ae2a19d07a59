using GradDescent.Abstractions.Trials;
using GradDescent.Storage.Queries;
using GradDescent.Storage.Tests.Infrastructure;

namespace GradDescent.Storage.Tests;

public sealed class TrialQueriesTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly TestStores stores = new(postgres);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await stores.DisposeAsync();

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task PageAsync_ExampleFilter_ReturnsExactlyTheMatchingTrials(string provider)
    {
        var (store, fields) = await SeedAsync(provider);

        var page = await TrialQueries.PageAsync(store, "s", fields, new TrialQuery("optimizer = adam and learning_rate < 0.01 and mse < 120"));

        Assert.Equal(ExpectedIndexes(t => t.Optimizer == "adam" && t.LearningRate < 0.01 && t.Mse < 120), page.Items.Select(i => i.Index));
        Assert.Equal(page.Items.Count, page.Total);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task PageAsync_JsonParameterOrInAndNot_CombineLikeSql(string provider)
    {
        var (store, fields) = await SeedAsync(provider);

        var page = await TrialQueries.PageAsync(
            store, "s", fields, new TrialQuery("(iterations >= 8 or optimizer in ('sgd', \"gd\")) and not status = failed and slope is not null", PageSize: 1000));

        Assert.Equal(
            ExpectedIndexes(t => (t.Steps >= 8 || t.Optimizer is "sgd" or "gd") && t.Status != TrialStatus.Failed),
            page.Items.Select(i => i.Index));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task PageAsync_SortByMetricDescending_NonFiniteLastAndPagesStable(string provider)
    {
        var (store, fields) = await SeedAsync(provider);

        var first = await TrialQueries.PageAsync(store, "s", fields, new TrialQuery(Sort: "-mse", PageSize: 7));
        var second = await TrialQueries.PageAsync(store, "s", fields, new TrialQuery(Sort: "mse desc", Page: 2, PageSize: 7));
        var all = await ToListAsync(TrialQueries.StreamAsync(store, "s", fields, null, "-mse"));

        var expected = Trials.OrderBy(t => double.IsFinite(t.Mse) ? 0 : 1).ThenByDescending(t => double.IsFinite(t.Mse) ? t.Mse : 0).ThenBy(t => t.Index)
            .Select(t => t.Index).ToList();
        Assert.Equal(expected, all.Select(i => i.Index));
        Assert.Equal(expected.Take(14), first.Items.Concat(second.Items).Select(i => i.Index));
        Assert.Equal(Trials.Count, first.Total);
        Assert.True(double.IsNaN(all[^1].Metrics["mse"]));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task PageAsync_NonFiniteMetric_MatchesNeitherSideOfAComparison(string provider)
    {
        var (store, fields) = await SeedAsync(provider);

        var below = await TrialQueries.PageAsync(store, "s", fields, new TrialQuery("metrics.mse < 1e9", PageSize: 1000));
        var above = await TrialQueries.PageAsync(store, "s", fields, new TrialQuery("mse >= 1e9 or mse is null", PageSize: 1000));

        Assert.DoesNotContain(below.Items, i => i.Status == "diverged");
        Assert.Equal(ExpectedIndexes(t => !double.IsFinite(t.Mse)), above.Items.Select(i => i.Index));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task PageAsync_InjectionInValues_IsJustAStringAndChangesNothing(string provider)
    {
        var (store, fields) = await SeedAsync(provider);

        var page = await TrialQueries.PageAsync(store, "s", fields, new TrialQuery("optimizer = 'adam''; DROP TABLE trials; --' or worker_id = \"x\"\" OR 1=1 --\" or device in ('cpu'' OR ''1''=''1')"));
        var after = await TrialQueries.PageAsync(store, "s", fields, new TrialQuery());

        Assert.Equal(0, page.Total);
        Assert.Equal(Trials.Count, after.Total);
    }

    [Theory]
    [InlineData("mse; DROP TABLE trials", 4, "unexpected character ';'")]
    [InlineData("optimizer = adam) OR (1 = 1", 17, "expected 'and', 'or' or the end")]
    [InlineData("1 = 1", 1, "expected a column, parameter or metric name")]
    [InlineData("lr < 0.1", 1, "unknown name 'lr'")]
    [InlineData("learning_rate < 'abc'", 17, "'learning_rate' is a number")]
    [InlineData("optimizer < adam", 10, "'optimizer' is text")]
    [InlineData("status = complete", 10, "'complete' is not a trial status")]
    [InlineData("optimizer = 'adam", 13, "no closing '")]
    [InlineData("mse < 1 and", 12, "found the end of the filter")]
    [InlineData("finished_at > 3", 1, "is a timestamp")]
    public async Task PageAsync_BadFilter_ThrowsNamingThePosition(string filter, int position, string problem)
    {
        var (store, fields) = await SeedAsync(StoreProvider.Sqlite);

        var error = await Assert.ThrowsAsync<TrialQueryException>(() => TrialQueries.PageAsync(store, "s", fields, new TrialQuery(filter)));

        Assert.Equal(("filter", position), (error.Part, error.Position));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mse; DROP TABLE trials", 1)]
    [InlineData("trial_index,mse desc,,seed", 22)]
    [InlineData("mse sideways", 1)]
    public async Task PageAsync_BadSort_ThrowsNamingThePosition(string sort, int position)
    {
        var (store, fields) = await SeedAsync(StoreProvider.Sqlite);

        var error = await Assert.ThrowsAsync<TrialQueryException>(() => TrialQueries.PageAsync(store, "s", fields, new TrialQuery(Sort: sort)));

        Assert.Equal(("sort", position), (error.Part, error.Position));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task MetricNamesAsync_StoredTrials_EveryKeyOnce(string provider)
    {
        var (store, _) = await SeedAsync(provider);

        Assert.Equal(["intercept", "mse", "slope"], await TrialQueries.MetricNamesAsync(store, "s"));
    }

    private static readonly string[] Optimizers = ["adam", "sgd", "gd"];

    private static readonly IReadOnlyList<Seeded> Trials = [.. Enumerable.Range(0, 30).Select(Seeded.For)];

    private static IEnumerable<long> ExpectedIndexes(Func<Seeded, bool> match) => Trials.Where(match).Select(t => t.Index);

    private async Task<(IResultStore Store, TrialFields Fields)> SeedAsync(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s", Trials.Count));
        await store.SaveResultsAsync([.. Trials.Select(t => SampleResults.Result("s", t.Index, t.Mse, t.Status, t.Optimizer, t.LearningRate, t.Steps))]);
        return (store, await TrialQueries.FieldsAsync(store, "s", "linear-regression"));
    }

    private static async Task<List<TrialListItem>> ToListAsync(IAsyncEnumerable<TrialListItem> items)
    {
        var list = new List<TrialListItem>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>Trial i: optimizer cycles, learning rate 0.001..0.1, mse 20·i (trial 5 diverged, trial 9 failed).</summary>
    private sealed record Seeded(long Index, string Optimizer, double LearningRate, double Mse, TrialStatus Status, int Steps)
    {
        public static Seeded For(int i) => new(
            i,
            Optimizers[i % 3],
            new[] { 0.001, 0.005, 0.02, 0.1 }[i % 4],
            i == 5 ? double.NaN : 20.0 * i,
            i == 5 ? TrialStatus.Diverged : i == 9 ? TrialStatus.Failed : TrialStatus.Completed,
            4 + (i % 6));
    }
}
