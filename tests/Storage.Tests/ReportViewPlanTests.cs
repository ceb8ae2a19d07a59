using System.Text.Json;
using GradDescent.Storage.Tests.Infrastructure;
using Npgsql;

namespace GradDescent.Storage.Tests;

/// <summary>
/// The report views, queried for one sweep on PostgreSQL, read that sweep's trials only: every scan of <c>trials</c>
/// in the plan carries the sweep condition. (Before schema step 4, <c>trial_convergence</c> materialised the best of
/// every sweep, so each report query aggregated the whole table.)
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
