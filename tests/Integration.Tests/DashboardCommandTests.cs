using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary><c>graddescent dashboard</c> as an operator runs it: its flags, its errors, and a sweep launched through its API.</summary>
public sealed class DashboardCommandTests
{
    private const string Key = "it-dashboard-key-0123456789";

    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task DashboardHelp_ListsUrlsWithItsDefaultAndTheDatabaseFlag()
    {
        var (exitCode, stdout, _) = await CliProcess.RunAsync(["dashboard", "--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("--urls <URL>", stdout, StringComparison.Ordinal);
        Assert.Contains("default http://127.0.0.1:8080", stdout, StringComparison.Ordinal);
        Assert.Contains("--db <PATH|CONNECTION>", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--urls", "not-a-url", "GradDescent__Dashboard__Urls (--urls): 'not-a-url' is not")]
    [InlineData("--urls", "ftp://127.0.0.1:8080", "GradDescent__Dashboard__Urls (--urls): 'ftp://127.0.0.1:8080' is not an http or https address")]
    [InlineData("--db", "Colour=blue;Size=9", "GradDescent__Database__ConnectionString (--db): the database connection string names no database")]
    public async Task Dashboard_BadSetting_ExitsTwoNamingItAndWritesNothing(string flag, string value, string expected)
    {
        using var folder = new TempFolder();
        string[] arguments = flag == "--db" ? ["dashboard", "--db", value] : ["dashboard", "--db", folder.File("never.db"), flag, value];

        var (exitCode, _, stderr) = await CliProcess.RunAsync(arguments, workingDirectory: folder.Path);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task Dashboard_SqliteSweepLaunchedThroughTheApi_CompletesAndMetricsCountEveryStoredTrial()
    {
        using var folder = new TempFolder();
        var database = folder.File("dash.db");
        var port = FreePorts.Next();
        var environment = new Dictionary<string, string>
        {
            ["GradDescent__Dashboard__ApiKeys__0"] = Key,
            ["GradDescent__Worker__Slots"] = "1",
            ["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100",
        };
        await using var dashboard = CliProcess.Start(["dashboard", "--db", database, "--urls", $"http://127.0.0.1:{port}"], environment, folder.Path);
        await Scrape.WaitUntilReadyAsync(port, Generous, dashboard);
        var idle = await Scrape.SamplesAsync(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(1) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        var launched = await http.PostAsync("/api/sweeps", new StringContent(Specs.SmallLinearRegression, Encoding.UTF8, "application/yaml"));
        var id = (await launched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await dashboard.WaitForStderrAsync(l => l.Contains($"Sweep {id} completed", StringComparison.Ordinal), Generous, $"announcing that sweep {id} completed");
        var samples = await Scrape.SamplesAsync(port);
        var (readyStatus, ready) = await Scrape.ReadyzAsync(port);
        var sweep = await http.GetFromJsonAsync<JsonElement>($"/api/sweeps/{id}");
        await using var store = ResultStoreFactory.Create($"Data Source={database}");
        var stored = (await store.GetStoredTrialIndexesAsync(id)).Count;

        Assert.Equal(HttpStatusCode.Created, launched.StatusCode);
        Assert.Equal((0.0, 0.0), (idle.Sum("graddescent_trials_completed_total"), idle.Value("graddescent_sweeps_active")));
        Assert.Equal(12, stored);
        Assert.Equal(stored, samples.Sum("graddescent_trials_completed_total"));
        Assert.Equal(0, samples.Value("graddescent_sweeps_active"));
        Assert.InRange(samples.Sum("graddescent_worker_batches_total"), 1, 12);
        Assert.Equal("completed", sweep.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal(["cluster", "silo", "store"], ready["checks"]!.AsObject().Select(c => c.Key).Order());
    }
}
