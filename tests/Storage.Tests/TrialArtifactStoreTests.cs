using System.Text;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage.Reports;
using GradDescent.Storage.Schema;
using GradDescent.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradDescent.Storage.Tests;

/// <summary>
/// Files trials produce for reports are stored with them, content once per sweep and hash, through the same batch
/// writer as the results (exactly once, poisoned rows isolated); and <c>experiment_goals</c> follows the catalog.
/// </summary>
public sealed class TrialArtifactStoreTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly TestStores stores = new(postgres);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await stores.DisposeAsync();

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_ContentAndReferences_StoresEachContentOncePerSweepAndResolvesReferences(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await store.CreateSweepAsync(SampleResults.Sweep("t"));
        var data = TrialArtifact.FromContent("data.csv", "text/csv", Encoding.UTF8.GetBytes("height,weight\n60,120\n"));
        var image = TrialArtifact.FromContent("adversarial.png", "image/png", [1, 2, 3, 0, 255]);
        var batch = new[]
        {
            SampleResults.Result("s", 0, mse: 1) with { Artifacts = [data, image] },
            SampleResults.Result("s", 1, mse: 2) with { Artifacts = [data.AsReference()] },
            SampleResults.Result("s", 2, mse: 3) with { Artifacts = [data] },
            SampleResults.Result("t", 0, mse: 4) with { Artifacts = [data] },
        };

        Assert.Equal(4, await store.SaveResultsAsync(batch));
        // Delivered again (a late duplicate): nothing new, nothing doubled.
        Assert.Equal(0, await store.SaveResultsAsync(batch));

        Assert.Equal(
            ["adversarial.png image/png 5", "data.csv text/csv 21"],
            (await ReportViews.TrialArtifactsAsync(store, "s", 0)).Select(a => $"{a.Name} {a.MediaType} {a.Size}"));
        foreach (var (sweep, index) in new[] { ("s", 0L), ("s", 1L), ("s", 2L), ("t", 0L) })
        {
            Assert.Equal(data.Content, await ReportViews.ArtifactContentAsync(store, sweep, index, "data.csv"));
        }

        Assert.Equal(image.Content, await ReportViews.ArtifactContentAsync(store, "s", 0, "adversarial.png"));
        Assert.Null(await ReportViews.ArtifactContentAsync(store, "s", 1, "adversarial.png"));
        Assert.Equal(2L, await CountAsync(store, "SELECT COUNT(*) FROM sweep_artifacts WHERE sweep_id = 's'"));
        Assert.Equal(1L, await CountAsync(store, "SELECT COUNT(*) FROM sweep_artifacts WHERE sweep_id = 't'"));
        Assert.Equal(5L, await CountAsync(store, "SELECT COUNT(*) FROM trial_artifacts"));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_ContentOverCapOrBadReference_StoresTheTrialWithoutThatArtefact(string provider)
    {
        var store = await stores.CreateAsync(provider, new ResultStoreOptions { MaxArtifactBytes = 8 });
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        var small = TrialArtifact.FromContent("small.bin", "application/octet-stream", [1, 2, 3]);
        var large = TrialArtifact.FromContent("large.bin", "application/octet-stream", new byte[9]);
        var forged = new TrialArtifact("forged.bin", "application/octet-stream", "not-a-hash", null);
        var lying = small with { Name = "lying.bin", Sha256 = new string('0', 64) };

        Assert.Equal(1, await store.SaveResultsAsync([SampleResults.Result("s", 0, mse: 1) with { Artifacts = [small, large, forged, lying, small] }]));

        // The duplicate name is dropped; the lying hash is replaced by the content's own.
        Assert.Equal(["lying.bin", "small.bin"], (await ReportViews.TrialArtifactsAsync(store, "s", 0)).Select(a => a.Name));
        Assert.Equal(small.Content, await ReportViews.ArtifactContentAsync(store, "s", 0, "lying.bin"));
        Assert.Equal(1.0, (await store.GetProgressAsync("s")).BestPrimaryMetric);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task EnsureSchemaAsync_CatalogWithAnotherExperiment_ExperimentGoalsFollowTheCatalog(string provider)
    {
        var connectionString = await stores.NewConnectionStringAsync(provider);
        var store = (ResultStore)stores.Open(connectionString);
        await store.EnsureSchemaAsync();
        var extra = LinearRegressionDefinition.Instance with { Name = "quadratic-bowl", PrimaryMetric = "loss", OptimumMetric = "exact_loss", EquivalenceTolerance = 0.5 };

        await SchemaMigrator.ApplyAsync(store.Dialect, SchemaMigrator.LatestVersion(store.Dialect), [.. ExperimentCatalog.All, extra], TimeProvider.System, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(
            ["adversarial|target_probability|", "linear-regression|mse|exact_mse", "quadratic-bowl|loss|exact_loss", "vector-spread|min_angle_deg|known_optimum_deg"],
            await GoalsAsync(store));
        Assert.Equal(0.5, Convert.ToDouble(await ScalarAsync(store, "SELECT tolerance FROM experiment_goals WHERE experiment = 'quadratic-bowl'"), System.Globalization.CultureInfo.InvariantCulture));

        // The next ordinary start brings the table back to this build's catalog.
        await store.EnsureSchemaAsync();
        Assert.Equal(ExperimentCatalog.All.Count, await CountAsync(store, "SELECT COUNT(*) FROM experiment_goals"));
    }

    private static async Task<List<string>> GoalsAsync(ResultStore store)
    {
        await using var connection = await store.Dialect.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT experiment, primary_metric, optimum_metric FROM experiment_goals ORDER BY experiment";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetString(0)}|{reader.GetString(1)}|{(reader.IsDBNull(2) ? string.Empty : reader.GetString(2))}");
        }

        return rows;
    }

    private static async Task<long> CountAsync(IResultStore store, string sql) =>
        Convert.ToInt64(await ScalarAsync((ResultStore)store, sql), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarAsync(ResultStore store, string sql)
    {
        await using var connection = await store.Dialect.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
