using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using GradDescent.Dashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradDescent.Dashboard.Tests;

/// <summary>The dashboard in a real browser (Debian Chromium through Playwright), on SQLite with the in-process silo and worker.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserTests(BrowserFixture browser, SqliteAppFixture fixture) : IClassFixture<SqliteAppFixture>
{
    private static readonly TimeSpan LiveTimeout = TimeSpan.FromMinutes(2);

    private DashboardApp App => fixture.App;

    [Fact]
    public async Task SweepsList_OpenASweep_ShowsItsRankingAndCharts()
    {
        var sweep = await Seed.SweepAsync(App.Store, $"ui-open-{Guid.NewGuid():N}"[..16]);
        var page = await NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = sweep.Name, Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = sweep.Name, Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Optimizer ranking" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "adam" }).First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-chart=history] canvas")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-chart=parallel] canvas")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "sweep");
    }

    [Fact]
    public async Task TrialsPage_FilterThenExport_CsvHoldsExactlyTheRowsSqlSelects()
    {
        var sweep = await Seed.SweepAsync(App.Store, $"ui-csv-{Guid.NewGuid():N}"[..15], repeats: 3);
        var page = await NewPageAsync();
        await page.GotoAsync($"/sweeps/{sweep.Id}/trials");

        await page.GetByLabel("Filter", new() { Exact = true }).FillAsync("optimizer in (adam, sgd) and learning_rate < 0.05 and mse >= 40");
        await page.GetByLabel("Sort", new() { Exact = true }).FillAsync("-mse");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var expected = await SqlIndexesAsync(sweep.Id, "optimizer IN ('adam', 'sgd') AND learning_rate < 0.05 AND primary_metric >= 40 ORDER BY primary_metric DESC");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{expected.Count} trials match");
        await Screenshots.TakeAsync(page, "trials");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export these" }).ClickAsync());
        var file = Path.Combine(Path.GetTempPath(), $"gd-export-{Guid.NewGuid():N}.csv");
        await download.SaveAsAsync(file);
        var lines = await File.ReadAllLinesAsync(file);
        File.Delete(file);

        Assert.Equal("trial_index", lines[0].Split(',')[0]);
        Assert.Equal(expected, lines.Skip(1).Select(l => long.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(15, expected.Count);
    }

    [Fact]
    public async Task LaunchPage_WithKey_SweepIsWatchedLiveUntilCompleted()
    {
        var page = await NewPageAsync();
        await SignInAsync(page);
        var name = $"ui-launch-{Guid.NewGuid():N}"[..18];

        await page.GotoAsync("/launch");
        await page.Locator("#spec").FillAsync(Specs.Small(name));
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("#sweep [data-field=status]")).ToHaveTextAsync("completed", new() { Timeout = (float)LiveTimeout.TotalMilliseconds });
        await Expect(page.Locator("#sweep [data-field=done]")).ToHaveTextAsync("4 / 4");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Pause {name}" })).ToBeHiddenAsync();
        await Expect(page.GetByText("A <script>alert('x')</script> check")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-chart=curves] canvas")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "launched");
    }

    [Fact]
    public async Task LaunchPage_AshaSearchSweep_PrunedTrialsCountedLiveUntilCompleted()
    {
        var page = await NewPageAsync();
        await SignInAsync(page);
        var name = $"ui-asha-{Guid.NewGuid():N}"[..16];

        await page.GotoAsync("/launch");
        await page.Locator("#spec").FillAsync(Specs.AshaSearch(name));
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("#sweep [data-field=status]")).ToHaveTextAsync("completed", new() { Timeout = (float)LiveTimeout.TotalMilliseconds });
        await Expect(page.Locator("#sweep [data-field=done]")).ToHaveTextAsync("18 / 18");
        var id = (await App.Store.ListSweepsAsync()).Single(s => s.Name == name).Id;
        var progress = await App.Store.GetProgressAsync(id);
        Assert.InRange(progress.Pruned, 1, 17);
        await Expect(page.Locator("#sweep [data-field=pruned]")).ToHaveTextAsync(progress.Pruned.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#sweep [data-field=completed]")).ToHaveTextAsync(progress.Completed.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SweepPage_CancelARunningSweep_ShowsItCancelledLive()
    {
        using var client = App.Client(DashboardApp.Key);
        var name = $"ui-cancel-{Guid.NewGuid():N}"[..18];
        var launched = await client.PostAsync("/api/sweeps", new StringContent(Integration.Tests.Infrastructure.Specs.SlowVectorSpread(name, seeds: 10, iterations: 20_000), System.Text.Encoding.UTF8, "application/yaml"));
        var id = (await launched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var page = await NewPageAsync();
        await SignInAsync(page);

        await page.GotoAsync($"/sweeps/{id}");
        await Expect(page.Locator("#sweep [data-field=status]")).ToHaveTextAsync("running");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Cancel {name}" }).ClickAsync();

        await Expect(page.Locator("#sweep [data-field=status]")).ToHaveTextAsync("cancelled");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Cancel {name}" })).ToHaveCountAsync(0);
        Assert.Equal(Abstractions.Storage.SweepStatus.Cancelled, (await App.Store.GetSweepAsync(id))!.Status);
    }

    [Fact]
    public async Task WithoutAKey_ApiAnswers401AndTheLaunchButtonIsDisabled()
    {
        var page = await NewPageAsync();

        var response = await page.APIRequest.PostAsync("/api/sweeps", new() { Headers = new Dictionary<string, string> { ["Content-Type"] = "application/yaml" }, Data = Specs.Small("no-key") });
        await page.GotoAsync("/launch");

        Assert.Equal(401, response.Status);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Launch", Exact = true })).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with an API key" }).First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task LaunchPage_SpecWithAnError_ShowsTheMessageAtItsLineAndColumn()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/launch");

        await page.Locator("#spec").FillAsync("name: typo\nexperiment: linear-regression\ngrid:\n  learning_rate: [0.1, -2]\n  optimiser: [adam]\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "2 problems in the spec" })).ToBeVisibleAsync();
        await Expect(page.GetByText("line 4, column 24: grid.learning_rate")).ToBeVisibleAsync();
        await Expect(page.GetByText("line 5, column 3: grid.optimiser")).ToBeVisibleAsync();
        await Expect(page.GetByText("spec.yaml:4:24: grid.learning_rate")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "launch-errors");
    }

    [Fact]
    public async Task LaunchPage_DataFileOutsideTheAllowedFolders_ShowsTheFileGateErrorAtItsLineAndStoresNothing()
    {
        var page = await NewPageAsync();
        await SignInAsync(page);
        var name = $"ui-gate-{Guid.NewGuid():N}"[..16];
        await page.GotoAsync("/launch");

        await page.Locator("#spec").FillAsync($"name: {name}\nexperiment: linear-regression\nparameters:\n  data: /etc/passwd\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "1 problem in the spec" })).ToBeVisibleAsync();
        await Expect(page.GetByText("'/etc/passwd' is outside the folders file parameters may use").First).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "1 problem in the spec" })).ToBeVisibleAsync();
        await Expect(page.GetByText("line 4, column").First).ToBeVisibleAsync();
        Assert.DoesNotContain(await App.Store.ListSweepsAsync(), s => s.Name == name);
    }

    [Fact]
    public async Task SearchSweepPage_ParetoFrontAndPrunedTrials_ShownAndFilterable()
    {
        var sweep = await SearchSeed.SweepAsync(App.Store, $"ui-pareto-{Guid.NewGuid():N}"[..18]);
        var page = await NewPageAsync();

        await page.GotoAsync($"/sweeps/{sweep.Id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pareto front" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("pareto-summary")).ToContainTextAsync("5 of 9 completed trials are on the front");
        await Expect(page.Locator("table.pareto tbody tr")).ToHaveCountAsync(SearchSeed.Front.Length);
        await Expect(page.Locator("[data-chart=pareto] canvas")).ToBeVisibleAsync();
        await Expect(page.Locator("#sweep [data-field=done]")).ToHaveTextAsync("12 / 12");
        await Screenshots.TakeAsync(page, "pareto");
        await page.GetByTestId("count-pruned").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 trials match");
        await Expect(page.Locator("table.trials .status-pruned")).ToHaveTextAsync("pruned");
        Assert.Equal("status = pruned", await page.GetByLabel("Filter", new() { Exact = true }).InputValueAsync());
    }

    [Fact]
    public async Task Pages_AxeAccessibilityCheck_NoSeriousOrCriticalViolations()
    {
        var sweep = await Seed.SweepAsync(App.Store, $"ui-axe-{Guid.NewGuid():N}"[..15]);
        var search = await SearchSeed.SweepAsync(App.Store, $"ui-axe-search-{Guid.NewGuid():N}"[..22]);
        var page = await NewPageAsync();
        var problems = new List<string>();
        foreach (var path in new[] { "/", $"/sweeps/{sweep.Id}", $"/sweeps/{search.Id}", $"/sweeps/{search.Id}/trials?filter=status%20%3D%20pruned", $"/sweeps/{search.Id}/trials/9", $"/sweeps/{sweep.Id}/trials", $"/sweeps/{sweep.Id}/trials/3", "/launch", "/workers", $"/compare?sweeps={sweep.Id}", "/signin" })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            var result = await page.RunAxe();
            problems.AddRange(result.Violations
                .Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{path}: {v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}"));
            if (path == "/")
            {
                await Screenshots.TakeAsync(page, "sweeps");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = App.BaseAddress.ToString(), ViewportSize = new() { Width = 1360, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Dialog += (_, dialog) => throw new InvalidOperationException($"a script opened a dialog: {dialog.Message}");
        return page;
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("API key").FillAsync(DashboardApp.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    private async Task<List<long>> SqlIndexesAsync(string sweepId, string condition)
    {
        await using var connection = new SqliteConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT trial_index FROM trials WHERE sweep_id = $sweep AND {condition}";
        command.Parameters.AddWithValue("$sweep", sweepId);
        var indexes = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            indexes.Add(reader.GetInt64(0));
        }

        return indexes;
    }
}
