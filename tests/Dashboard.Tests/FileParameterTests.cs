using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GradDescent.Dashboard.Tests.Infrastructure;

namespace GradDescent.Dashboard.Tests;

/// <summary>
/// File parameters of specs launched from the dashboard (docs/security.md): a file inside a configured
/// <c>GradDescent__Files__Roots__*</c> folder is read by the trials; the same file one folder outside is refused at its
/// line before anything is stored.
/// </summary>
public sealed class FileParameterTests : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("gd-dash-root-").FullName;
    private readonly string outside = Directory.CreateTempSubdirectory("gd-dash-outside-").FullName;
    private readonly string database = Path.Combine(Path.GetTempPath(), $"gd-dashboard-files-{Guid.NewGuid():N}.db");
    private DashboardApp? app;

    public Task InitializeAsync()
    {
        app = new DashboardApp($"Data Source={database}", new Dictionary<string, string?> { ["GradDescent:Files:Roots:0"] = root });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        Directory.Delete(root, recursive: true);
        Directory.Delete(outside, recursive: true);
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(database + suffix);
        }
    }

    [Fact]
    public async Task Launch_DataFileInsideAConfiguredRoot_TrialsReadItAndTheSweepCompletes()
    {
        // Weight = 0.5·Height − 20 exactly: the least-squares slope the trials report comes from this file, not the synthetic sample.
        var data = Path.Combine(root, "heights.csv");
        await File.WriteAllLinesAsync(data, ["Height,Weight", .. Enumerable.Range(0, 20).Select(i => $"{150 + (2 * i)},{(0.5 * (150 + (2 * i))) - 20}")]);
        using var client = app!.Client(DashboardApp.Key);

        var launched = await client.PostAsync("/api/sweeps", Yaml(Spec("files-inside", data)));
        Assert.True(launched.StatusCode == HttpStatusCode.Created, await launched.Content.ReadAsStringAsync());
        var id = (await launched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var end = await Events.WaitForEndAsync(client, id, TimeSpan.FromMinutes(2));
        var trials = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{id}/trials?pageSize=10");

        Assert.Equal("completed", end);
        Assert.Equal(2, trials.GetProperty("total").GetInt64());
        Assert.All(trials.GetProperty("items").EnumerateArray(), t =>
        {
            Assert.Equal("completed", t.GetProperty("status").GetString());
            Assert.Equal(data, t.GetProperty("parameters").GetProperty("data").GetString());
            Assert.Equal(0.5, t.GetProperty("metrics").GetProperty("exact_slope").GetDouble(), 1e-4);
        });
    }

    [Fact]
    public async Task Launch_DataFileOutsideTheConfiguredRoots_Returns400NamingTheRootsAndStoresNothing()
    {
        var data = Path.Combine(outside, "heights.csv");
        await File.WriteAllLinesAsync(data, ["Height,Weight", "150,55", "160,60", "170,65"]);
        using var client = app!.Client(DashboardApp.Key);

        var response = await client.PostAsync("/api/sweeps", Yaml(Spec("files-outside", data)));
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().Single();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(5, error.GetProperty("line").GetInt32());
        Assert.Contains($"'{data}' is outside the folders file parameters may use (", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(root, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await app.Store.ListSweepsAsync(), s => s.Name == "files-outside");
    }

    private static string Spec(string name, string data) => string.Create(CultureInfo.InvariantCulture, $"""
        name: {name}
        experiment: linear-regression
        parameters:
          iterations: 5
          data: {data}
        grid:
          optimizer: [adam, sgd]
        """);

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");
}
