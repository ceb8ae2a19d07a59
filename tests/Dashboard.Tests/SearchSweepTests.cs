using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GradDescent.Dashboard.Tests.Infrastructure;
using GradDescent.Storage.Reports;

namespace GradDescent.Dashboard.Tests;

/// <summary>
/// Search sweeps on the dashboard (docs/search.md): trials stopped early are counted and shown as <c>pruned</c> and can be
/// filtered; a sweep with several objectives shows its Pareto front (the <c>pareto_front</c> view).
/// </summary>
public sealed class SearchSweepTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    [Theory]
    [MemberData(nameof(ApiFixture.Providers), MemberType = typeof(ApiFixture))]
    public async Task StoredSearchSweep_PrunedCountedAndFilterable_ParetoFrontIsTheViewsNonDominatedTrials(string provider)
    {
        var app = fixture.App(provider);
        var sweep = await SearchSeed.SweepAsync(app.Store, $"seeded-pareto-{provider}");
        using var client = app.Client();

        var view = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{sweep.Id}");
        var pruned = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{sweep.Id}/trials?filter={Uri.EscapeDataString("status = pruned")}");
        var pareto = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{sweep.Id}/pareto");
        var page = await client.GetStringAsync($"/sweeps/{sweep.Id}");
        var trialsPage = await client.GetStringAsync($"/sweeps/{sweep.Id}/trials?filter={Uri.EscapeDataString("status = pruned")}");

        Assert.Equal((9L, 1L, 1L, 1L, 12L, 1.0), (
            view.GetProperty("completed").GetInt64(), view.GetProperty("diverged").GetInt64(), view.GetProperty("failed").GetInt64(),
            view.GetProperty("pruned").GetInt64(), view.GetProperty("done").GetInt64(), view.GetProperty("progress").GetDouble()));
        Assert.Equal(["mse", SearchSeed.SecondObjective], view.GetProperty("objectives").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(["learning_rate"], view.GetProperty("sweptParameters").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(1, pruned.GetProperty("total").GetInt64());
        Assert.Equal((SearchSeed.Pruned, "pruned"), (pruned.GetProperty("items")[0].GetProperty("index").GetInt64(), pruned.GetProperty("items")[0].GetProperty("status").GetString()));

        Assert.Equal(["minimize", "minimize"], pareto.GetProperty("objectives").EnumerateArray().Select(o => o.GetProperty("goal").GetString()));
        Assert.Equal(9, pareto.GetProperty("total").GetInt64());
        Assert.Equal(SearchSeed.Front, pareto.GetProperty("front").EnumerateArray().Select(p => p.GetProperty("trial").GetInt64()));
        Assert.Equal(SearchSeed.Front, (await ReportViews.ParetoFrontAsync(app.Store, sweep.Id, 2)).Select(r => r.TrialIndex));
        Assert.Equal(SearchSeed.Dominated, pareto.GetProperty("others").EnumerateArray().Select(p => p.GetProperty("trial").GetInt64()).Order());
        foreach (var point in pareto.GetProperty("front").EnumerateArray())
        {
            var (mse, iterations) = SearchSeed.Objectives(point.GetProperty("trial").GetInt64());
            Assert.Equal([mse, iterations], point.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(["learning_rate"], point.GetProperty("parameters").EnumerateObject().Select(p => p.Name));
        }

        Assert.Contains("5 of 9 completed trials are on the front", page, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"pareto\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"count-pruned\"", page, StringComparison.Ordinal);
        Assert.Contains("<span class=\"status status-pruned\">pruned</span>", trialsPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LaunchedTpeSweepWithAsha_OnSqlite_StoresPrunedTrialsTheDashboardCountsAndFilters()
    {
        var app = fixture.App(ApiFixture.Sqlite);
        using var client = app.Client(DashboardApp.Key);
        var name = $"asha-{Guid.NewGuid():N}"[..16];

        var (id, end) = await LaunchAndFollowAsync(client, Specs.AshaSearch(name));
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{id}");
        var pruned = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{id}/trials?filter={Uri.EscapeDataString("status = pruned")}&pageSize=1000");
        var progress = await app.Store.GetProgressAsync(id);

        Assert.Equal("completed", end);
        Assert.InRange(progress.Pruned, 1, 17);
        Assert.Equal((progress.Completed, progress.Pruned, 18L, 1.0), (
            view.GetProperty("completed").GetInt64(), view.GetProperty("pruned").GetInt64(), view.GetProperty("done").GetInt64(), view.GetProperty("progress").GetDouble()));
        Assert.Equal(progress.Pruned, pruned.GetProperty("total").GetInt64());
        Assert.All(pruned.GetProperty("items").EnumerateArray(), t => Assert.Equal("pruned", t.GetProperty("status").GetString()));
        Assert.Equal(["optimizer", "learning_rate"], view.GetProperty("sweptParameters").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task LaunchedNsga2SweepWithTwoObjectives_OnSqlite_ParetoFrontIsExactlyTheNonDominatedTrials()
    {
        var app = fixture.App(ApiFixture.Sqlite);
        using var client = app.Client(DashboardApp.Key);
        var name = $"nsga-{Guid.NewGuid():N}"[..16];
        var spec = $"""
            name: {name}
            experiment: linear-regression
            parameters: {"{iterations: 30, init_slope: 6.04, init_intercept: -180}"}
            search:
              algorithm: nsga2
              trials: 16
              batch: 8
              seed: 5
              space:
                learning_rate: {"{log_uniform: [1.0e-5, 1.0e-2]}"}
            objectives:
              - {"{metric: mse}"}
              - {"{metric: loss, reach: 0.99}"}
            """;

        var (id, end) = await LaunchAndFollowAsync(client, spec);
        var pareto = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{id}/pareto");
        var trials = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{id}/trials?filter={Uri.EscapeDataString("status = completed")}&pageSize=1000");

        // Every completed trial with both objectives finite, from the trials API: the front must be exactly those no other dominates.
        const string second = "iterations_to_99pct_loss";
        var points = trials.GetProperty("items").EnumerateArray()
            .Select(t => (Index: t.GetProperty("index").GetInt64(), Metrics: t.GetProperty("metrics")))
            .Where(t => t.Metrics.TryGetProperty("mse", out var m) && m.ValueKind == JsonValueKind.Number && t.Metrics.TryGetProperty(second, out var s) && s.ValueKind == JsonValueKind.Number)
            .Select(t => (t.Index, Mse: t.Metrics.GetProperty("mse").GetDouble(), Iterations: t.Metrics.GetProperty(second).GetDouble()))
            .ToList();
        var expected = points
            .Where(a => !points.Any(b => b.Index != a.Index && b.Mse <= a.Mse && b.Iterations <= a.Iterations && (b.Mse < a.Mse || b.Iterations < a.Iterations)))
            .Select(a => a.Index).Order();

        Assert.Equal("completed", end);
        Assert.Equal(["mse", second], pareto.GetProperty("objectives").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(points.Count, pareto.GetProperty("total").GetInt64());
        Assert.NotEmpty(expected);
        Assert.Equal(expected, pareto.GetProperty("front").EnumerateArray().Select(p => p.GetProperty("trial").GetInt64()).Order());
        Assert.Equal(expected, (await ReportViews.ParetoFrontAsync(app.Store, id, 2)).Select(r => r.TrialIndex).Order());
        Assert.Contains($"of {points.Count} completed trials are on the front", await client.GetStringAsync($"/sweeps/{id}"), StringComparison.Ordinal);
    }

    /// <returns>The launched sweep's id and the status its event stream ended with.</returns>
    private static async Task<(string Id, string End)> LaunchAndFollowAsync(HttpClient client, string spec)
    {
        var launched = await client.PostAsync("/api/sweeps", new StringContent(spec, Encoding.UTF8, "application/yaml"));
        Assert.True(launched.StatusCode == HttpStatusCode.Created, await launched.Content.ReadAsStringAsync());
        var id = (await launched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return (id, await Events.WaitForEndAsync(client, id, Generous));
    }
}
