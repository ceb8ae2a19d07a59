using System.Text.Json;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GradDescent.Storage.Tests;

/// <summary>
/// Results carrying text a database refuses (NUL, unpaired surrogates, bad JSON) are stored sanitised, and a row the
/// database refuses anyway is stored as a failed trial without taking its batch with it.
/// </summary>
public sealed class PoisonedResultTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const char Replacement = '\uFFFD';

    private readonly TestStores stores = new(postgres);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await stores.DisposeAsync();

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_NulAndUnpairedSurrogatesEverywhere_StoresTheBatchSanitised(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        var batch = Enumerable.Range(0, 6).Select(i => SampleResults.Result("s", i, mse: i)).ToList();
        var poisoned = batch[3] with
        {
            Status = TrialStatus.Failed,
            // What reading data: /proc/self/cmdline used to put into an error text.
            Error = "ParameterException: parameter 'data': (found: graddescent\0run\0spec.yaml) \ud800",
            Parameters = new ParameterSet(batch[3].Parameters.Values.Add("data", "/etc/passwd\0.csv")),
            WorkerId = "worker\0\udc00",
            Metrics = batch[3].Metrics.Add("bad\0metric", 1),
            Steps = [.. batch[3].Steps, new StepSeries("lo\0ss", [1f, 2f])],
            DetailJson = """{"image": "a\u0000b", "name\u0000": ["\ud800", "ok \ud83d\ude00"]}""",
        };
        batch[3] = poisoned;

        var stored = await store.SaveResultsAsync(batch);

        Assert.Equal(6, stored);
        var results = await ToListAsync(store.GetResultsAsync("s"));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), results.Select(r => r.Index));
        var back = results[3];
        Assert.Equal($"ParameterException: parameter 'data': (found: graddescent{Replacement}run{Replacement}spec.yaml) {Replacement}", back.Error);
        Assert.Equal($"/etc/passwd{Replacement}.csv", back.Parameters.GetText("data"));
        Assert.Equal($"worker{Replacement}{Replacement}", back.WorkerId);
        Assert.Equal(1, back.Metrics[$"bad{Replacement}metric"]);
        using var detail = JsonDocument.Parse(back.DetailJson!);
        Assert.Equal($"a{Replacement}b", detail.RootElement.GetProperty("image").GetString());
        Assert.Equal([$"{Replacement}", "ok \U0001F600"], detail.RootElement.GetProperty($"name{Replacement}").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains($"lo{Replacement}ss", (await store.GetStepsAsync("s", 3)).Select(s => s.Metric));
        Assert.All(results.Where(r => r.Index != 3), r => Assert.Equal(TrialStatus.Completed, r.Status));
        Assert.Equal(3, (await store.GetStepsAsync("s", 5)).Count);
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_DetailThatIsNotJson_StoredWithAReplacementDocument(string provider)
    {
        var store = await stores.CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));

        var stored = await store.SaveResultsAsync([SampleResults.Result("s", 0, mse: 1) with { DetailJson = "{\"unclosed\": [1, 2" }, SampleResults.Result("s", 1, mse: 2)]);

        Assert.Equal(2, stored);
        var results = await ToListAsync(store.GetResultsAsync("s"));
        using var replaced = JsonDocument.Parse(results[0].DetailJson!);
        Assert.Equal("the trial's detail document was not valid JSON and was not stored", replaced.RootElement.GetProperty("error").GetString());
        using var kept = JsonDocument.Parse(results[1].DetailJson!);
        Assert.Equal(3.5, kept.RootElement.GetProperty("exact_slope").GetDouble());
    }

    [Fact]
    public async Task SaveResultsAsync_NulAndSurrogatesInSweepTexts_StoredSanitised()
    {
        var store = await stores.CreateAsync(StoreProvider.Postgres);

        await store.CreateSweepAsync(SampleResults.Sweep("s") with { Name = "na\0me", Spec = "description: \ud800\0" });
        await store.SetSweepStatusAsync("s", Abstractions.Storage.SweepStatus.Failed, "error\0text");

        var sweep = await store.GetSweepAsync("s");
        Assert.Equal(($"na{Replacement}me", $"description: {Replacement}{Replacement}", $"error{Replacement}text"), (sweep!.Name, sweep.Spec, sweep.Error));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_OneRowRefusedByTheDatabase_StoredAsFailedAndTheRestOfTheBatchKept(string provider)
    {
        var (store, connectionString) = await CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await RefuseAsync(provider, connectionString, "trial_index = 13");
        var batch = Enumerable.Range(0, 32).Select(i => SampleResults.Result("s", i, mse: i)).ToList();

        var stored = await store.SaveResultsAsync(batch);

        Assert.Equal(32, stored);
        var results = await ToListAsync(store.GetResultsAsync("s"));
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (long)i), results.Select(r => r.Index));
        var refused = results[13];
        Assert.Equal(TrialStatus.Failed, refused.Status);
        Assert.StartsWith("the result could not be stored (", refused.Error, StringComparison.Ordinal);
        Assert.Contains("injected refusal", refused.Error, StringComparison.Ordinal);
        Assert.Contains(provider == StoreProvider.Postgres ? "PostgreSQL P0001" : "SQLite error 1811", refused.Error, StringComparison.Ordinal);
        Assert.Equal(batch[13].Parameters.Values, refused.Parameters.Values);
        Assert.Empty(refused.Metrics);
        Assert.Empty(await store.GetStepsAsync("s", 13));
        Assert.All(results.Where(r => r.Index != 13), r => Assert.Equal((TrialStatus.Completed, (double)r.Index), (r.Status, r.Metrics["mse"])));
        Assert.Equal(3, (await store.GetStepsAsync("s", 31)).Count);
        Assert.Equal(0, await store.SaveResultsAsync(batch));
    }

    [Theory]
    [MemberData(nameof(StoreProvider.All), MemberType = typeof(StoreProvider))]
    public async Task SaveResultsAsync_RefusedEvenAsFailedWithItsParameters_StoredBare(string provider)
    {
        var (store, connectionString) = await CreateAsync(provider);
        await store.CreateSweepAsync(SampleResults.Sweep("s"));
        await RefuseAsync(provider, connectionString, "parameters LIKE '%poison%'", exceptFailed: false);
        var batch = Enumerable.Range(0, 4).Select(i => SampleResults.Result("s", i, mse: i)).ToList();
        batch[2] = batch[2] with { Parameters = new ParameterSet(batch[2].Parameters.Values.SetItem("optimizer", "poison")) };

        var stored = await store.SaveResultsAsync(batch);

        Assert.Equal(4, stored);
        var results = await ToListAsync(store.GetResultsAsync("s"));
        Assert.Equal((TrialStatus.Failed, 0, "unknown"), (results[2].Status, results[2].Parameters.Values.Count, results[2].WorkerId));
        Assert.StartsWith("the result could not be stored (", results[2].Error, StringComparison.Ordinal);
        Assert.Equal(3, results.Count(r => r.Status == TrialStatus.Completed));
    }

    private async Task<(IResultStore Store, string ConnectionString)> CreateAsync(string provider)
    {
        var connectionString = await stores.NewConnectionStringAsync(provider);
        var store = stores.Open(connectionString);
        await store.EnsureSchemaAsync();
        return (store, connectionString);
    }

    /// <summary>A trigger that makes the database refuse rows matching <paramref name="condition"/> (but failed ones, by default).</summary>
    private static async Task RefuseAsync(string provider, string connectionString, string condition, bool exceptFailed = true)
    {
        var when = exceptFailed ? $"NEW.{condition} AND NEW.status <> 'failed'" : $"NEW.{condition}";
        if (provider == StoreProvider.Sqlite)
        {
            await using var sqlite = new SqliteConnection(connectionString);
            await sqlite.OpenAsync();
            await using var trigger = new SqliteCommand(
                $"CREATE TRIGGER refuse BEFORE INSERT ON trials WHEN {when} BEGIN SELECT RAISE(ABORT, 'injected refusal'); END;", sqlite);
            await trigger.ExecuteNonQueryAsync();
            return;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var pgWhen = when.Replace("NEW.parameters", "NEW.parameters::text", StringComparison.Ordinal);
        await using var command = new NpgsqlCommand(
            $"""
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF {pgWhen} THEN RAISE EXCEPTION 'injected refusal'; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON trials FOR EACH ROW EXECUTE FUNCTION refuse();
            """,
            connection);
        await command.ExecuteNonQueryAsync();
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
