using System.Data.Common;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GradDescent.Storage.Tests;

public sealed class StepValuesViewTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private const string ViewQuery =
        "SELECT trial_index, metric, step, value FROM trial_step_values WHERE sweep_id = 's' ORDER BY trial_index, metric, step";

    private readonly TestStores stores = new(postgres);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await stores.DisposeAsync();

    [Fact]
    public async Task TrialStepValues_SameResultsOnBothProviders_ReturnSameRows()
    {
        TrialResult[] results =
        [
            SampleResults.Result("s", 0, mse: 1, steps: 3),
            SampleResults.Result("s", 1, mse: 2, steps: 2) with { Steps = [new StepSeries("loss", [0.1f, -2.75f])] },
        ];
        var rows = new List<List<(long, string, long, float)>>();
        foreach (var provider in new[] { StoreProvider.Sqlite, StoreProvider.Postgres })
        {
            var connectionString = await stores.NewConnectionStringAsync(provider);
            var store = stores.Open(connectionString);
            await store.EnsureSchemaAsync();
            await store.CreateSweepAsync(SampleResults.Sweep("s"));
            await store.SaveResultsAsync(results);
            rows.Add(await ReadViewAsync(provider, connectionString));
        }

        List<(long, string, long, float)> expected =
        [
            (0, "intercept", 0, 0f), (0, "intercept", 1, -0.125f), (0, "intercept", 2, -0.25f),
            (0, "loss", 0, 1000f), (0, "loss", 1, 999.5f), (0, "loss", 2, 999f),
            (0, "slope", 0, 0f), (0, "slope", 1, 0.25f), (0, "slope", 2, 0.5f),
            (1, "loss", 0, 0.1f), (1, "loss", 1, -2.75f),
        ];
        Assert.Equal(expected, rows[0]);
        Assert.Equal(expected, rows[1]);
    }

    private static async Task<List<(long, string, long, float)>> ReadViewAsync(string provider, string connectionString)
    {
        await using DbConnection connection = provider == StoreProvider.Sqlite
            ? new SqliteConnection(connectionString)
            : new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = ViewQuery;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string, long, float)>();
        while (await reader.ReadAsync())
        {
            rows.Add((Convert.ToInt64(reader.GetValue(0)), reader.GetString(1), Convert.ToInt64(reader.GetValue(2)), (float)Convert.ToDouble(reader.GetValue(3))));
        }

        return rows;
    }
}
