using System.Text.Json;
using GradDescent.Storage.Reports;
using GradDescent.Storage.Tests.Infrastructure;
using Npgsql;

namespace GradDescent.Storage.Tests;

/// <summary>
/// The report views, queried for one sweep on PostgreSQL, read that sweep's trials only: every scan of <c>trials</c>
/// in the plan carries the sweep condition. (Before schema step 4, <c>trial_convergence</c> materialised the best of
/// every sweep, so each report query aggregated the whole table, and timed out after 30 s on a large database: issue #11.)
/// Every query the report runs is also answered from indexes: with sequential scans priced out, none is left on the
/// tables that grow with the database (trials, step series, artefacts).
/// </summary>
public sealed class ReportViewPlanTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>
{
    [Theory]
    [InlineData("trial_convergence")]
    [InlineData("optimizer_summary")]
    [InlineData("learning_rate_curve")]
    [InlineData("trial_optimum")]
    [InlineData("trial_objectives")]
    [InlineData("pareto_front")]
    public async Task Explain_ViewForOneSweep_EveryTrialsScanFiltersBySweep(string view)
    {
        var connectionString = await postgres.CreateSchemaAsync();
        await using (var store = ResultStoreFactory.Create(connectionString))
        {
            await store.EnsureSchemaAsync();
            foreach (var sweep in new[] { "a", "b", "c" })
            {
                await store.CreateSweepAsync(SampleResults.Sweep(sweep));
                await store.SaveResultsAsync([.. Enumerable.Range(0, 40).Select(i => SampleResults.Result(sweep, i, mse: i, optimizer: i % 2 == 0 ? "gd" : "adam"))]);
                await store.SetSweepObjectivesAsync(sweep, [new("mse", GradDescent.Abstractions.Experiments.MetricGoal.Minimize), new("slope", GradDescent.Abstractions.Experiments.MetricGoal.Maximize)]);
            }
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand($"EXPLAIN (FORMAT JSON) SELECT * FROM {view} WHERE sweep_id = @sweep", connection);
        explain.Parameters.AddWithValue("sweep", "b");
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);

        var scans = Nodes(plan.RootElement[0].GetProperty("Plan")).Where(n => n.TryGetProperty("Relation Name", out var r) && r.GetString() == "trials").ToList();
        Assert.NotEmpty(scans);
        Assert.All(scans, scan => Assert.True(
            new[] { "Index Cond", "Recheck Cond", "Filter" }.Any(k => scan.TryGetProperty(k, out var c) && c.GetString()!.Contains("sweep_id", StringComparison.Ordinal)),
            $"{view}: a {scan.GetProperty("Node Type").GetString()} of trials without the sweep condition"));
        Assert.DoesNotContain("\"CTE sweep_best\"", plan.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>The tables whose size grows with every stored sweep.</summary>
    private static readonly string[] GrowingTables = ["trials", "trial_steps", "trial_artifacts", "sweep_artifacts"];

    public static TheoryData<string> ReportQueries => [.. ReportViews.Queries.Select(q => q.Name)];

    [Theory]
    [MemberData(nameof(ReportQueries))]
    public async Task Explain_ReportQuery_AnsweredFromIndexesOfTheOneSweep(string name)
    {
        var connectionString = await postgres.CreateSchemaAsync();
        await using (var store = ResultStoreFactory.Create(connectionString))
        {
            await store.EnsureSchemaAsync();
            foreach (var sweep in new[] { "a", "b", "c" })
            {
                await store.CreateSweepAsync(SampleResults.Sweep(sweep));
                await store.SaveResultsAsync([.. Enumerable.Range(0, 40).Select(i => SampleResults.Result(sweep, i, mse: i, optimizer: i % 2 == 0 ? "gd" : "adam"))]);
            }
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand($"EXPLAIN (FORMAT JSON) {ReportViews.Queries.Single(q => q.Name == name).Sql}", connection);
        explain.Parameters.AddWithValue("sweep", "b");
        explain.Parameters.AddWithValue("trial", 3L);
        explain.Parameters.AddWithValue("name", "data.csv");
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);

        var scans = Nodes(plan.RootElement[0].GetProperty("Plan"))
            .Where(n => n.TryGetProperty("Relation Name", out var r) && GrowingTables.Contains(r.GetString()))
            .ToList();
        Assert.NotEmpty(scans);
        Assert.All(scans, scan =>
        {
            var what = $"{name}: {scan.GetProperty("Node Type").GetString()} of {scan.GetProperty("Relation Name").GetString()}";
            Assert.True(scan.GetProperty("Node Type").GetString() != "Seq Scan", $"{what}: no index answers it");
            Assert.True(
                new[] { "Index Cond", "Recheck Cond" }.Any(k => scan.TryGetProperty(k, out var c) && c.GetString()!.Contains("sweep_id", StringComparison.Ordinal)),
                $"{what}: the index is not searched by sweep");
        });
    }

    private static IEnumerable<JsonElement> Nodes(JsonElement node)
    {
        yield return node;
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray().SelectMany(Nodes))
            {
                yield return child;
            }
        }
    }
}
