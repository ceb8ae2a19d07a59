using System.Globalization;
using GradDescent.Reports.Analysis;
using GradDescent.Reports.Tests.Infrastructure;
using GradDescent.Storage.Reports;

namespace GradDescent.Reports.Tests;

/// <summary>The report reads the trials once, as a stream: the trials CSV, the best trials shown and the comparison's digest.</summary>
public sealed class StreamedTrialsTests : IAsyncLifetime
{
    private readonly TestDatabases databases = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await databases.DisposeAsync();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task WriteTrialsAsync_KnownSweep_CsvHasEveryViewRowAndShowsTheBestCompletedInOrder(string provider)
    {
        var store = provider == "sqlite" ? await databases.SqliteAsync() : await databases.PostgresAsync();
        await KnownSweep.StoreAsync(store);
        var rows = await ReportViews.TrialConvergenceAsync(store, KnownSweep.Id);
        var comparison = await SweepComparison.LoadAsync(store, (await store.GetSweepAsync(KnownSweep.Id))!, CancellationToken.None);
        var path = Path.Combine(databases.Folder, $"trials-{provider}.csv");

        var shown = await RankingTables.WriteTrialsAsync(store, comparison, path, CancellationToken.None);

        var csv = ReportCsv.Read(path);
        Assert.Equal(rows.Select(r => r.TrialIndex), csv.Select(r => long.Parse(r["trial_index"], CultureInfo.InvariantCulture)));
        Assert.Equal(rows.Select(r => r.Status), csv.Select(r => r["status"]));
        Assert.Equal(rows.Select(r => r.Parameters), csv.Select(r => r["parameters"]));
        var best = rows.Where(r => r.Status == "completed" && r.PrimaryMetric is not null)
            .OrderBy(r => r.PrimaryMetric).ThenBy(r => r.TrialIndex).Take(RankingTables.ShownRows).ToList();
        Assert.Equal(best.Select(r => r.TrialIndex.ToString(CultureInfo.InvariantCulture)), shown.Rows.Select(r => r[0]));
    }

    [Fact]
    public void From_HundredSeedsOfOneConfiguration_BestIsTheLowestIndexOfTheBestMetric()
    {
        var rows = Enumerable.Range(0, 100).Select(i => Row(i, "completed", i % 7 == 3 ? null : 1000 - (i % 50))).ToList();

        var digest = TrialDigest.From(rows, sign: 1);

        // The best trial of the one configuration: metric 951 is reached by trials 49 and 99; the lower index wins.
        Assert.Equal(49, digest.Of("{}")!.Best!.TrialIndex);
        Assert.Equal((100L, 100L, 0L), (digest.Stored, digest.Completed, digest.Diverged));
        Assert.Equal(100, digest.MostTrials);
    }

    [Fact]
    public void Add_MixedStatuses_CountsEachAndAveragesOnlyCompletedSeedsWithin1Pct()
    {
        TrialConvergenceRow[] rows =
        [
            Row(0, "completed", 5, iterations: 10),
            Row(1, "completed", 4, iterations: 20),
            Row(2, "completed", 3),
            Row(3, "diverged", null, iterations: 1),
            Row(4, "pruned", 1, iterations: 1),
            Row(5, "failed", null),
        ];

        var digest = TrialDigest.From(rows, sign: -1);
        var configuration = digest.Of("{}")!;

        Assert.Equal((6L, 3L, 1L, 1L, 1L), (digest.Stored, digest.Completed, digest.Diverged, digest.Pruned, digest.Failed));
        Assert.Equal((2, 30.0), (configuration.Reached, configuration.ReachedIterations));
        Assert.Equal(0, configuration.Best!.TrialIndex); // higher is better: 5 beats 4 and 3; the pruned 1 never counts
        Assert.Null(digest.Of("{\"other\":\"1\"}"));
    }

    private static TrialConvergenceRow Row(long index, string status, double? metric, int? iterations = null) => new()
    {
        TrialIndex = index, Optimizer = "gd", LearningRate = 0.1, Seed = (int)index, Status = status, PrimaryMetric = metric, DurationMs = 1,
        DivergedAtStep = null, SweepBest = null, IterationsTo1Pct = iterations, Parameters = "{}",
    };
}
