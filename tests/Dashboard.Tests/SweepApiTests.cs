using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GradDescent.Dashboard.Tests.Infrastructure;

namespace GradDescent.Dashboard.Tests;

public sealed class SweepApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Theory]
    [MemberData(nameof(ApiFixture.Providers), MemberType = typeof(ApiFixture))]
    public async Task GetSweep_ByIdAndByName_ReturnsTheSweepAndTheNewestOfThatName(string provider)
    {
        var app = fixture.App(provider);
        var name = $"by-name-{Guid.NewGuid():N}"[..20];
        var older = await Seed.SweepAsync(app.Store, name, createdAt: DateTimeOffset.UtcNow.AddHours(-1));
        var newer = await Seed.SweepAsync(app.Store, name);
        using var client = app.Client();

        var byId = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{older.Id}");
        var byName = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{name}");
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps?name={name}");
        var missing = await client.GetAsync("/api/sweeps/no-such-sweep");

        Assert.Equal((older.Id, name, "linear-regression", "completed", 24L, 23L, 1L),
            (byId.GetProperty("id").GetString(), byId.GetProperty("name").GetString(), byId.GetProperty("experiment").GetString(),
             byId.GetProperty("status").GetString(), byId.GetProperty("trials").GetInt64(), byId.GetProperty("completed").GetInt64(), byId.GetProperty("diverged").GetInt64()));
        Assert.Equal(newer.Id, byName.GetProperty("id").GetString());
        Assert.Equal([newer.Id, older.Id], list.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(0.0, byId.GetProperty("best").GetDouble());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ApiFixture.Providers), MemberType = typeof(ApiFixture))]
    public async Task Trials_FilterSortAndPage_ReturnTheRowsSqlSelects(string provider)
    {
        var app = fixture.App(provider);
        var sweep = await Seed.SweepAsync(app.Store, "paging");
        using var client = app.Client();
        var filter = Uri.EscapeDataString("optimizer in (adam, sgd) and learning_rate < 0.05 and mse < 300");

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{sweep.Id}/trials?filter={filter}&sort=-mse&page=2&pageSize=3");

        var expected = Enumerable.Range(0, 24)
            .Select(i => (Index: i, Trial: Seed.Trial(i, 2)))
            .Where(t => t.Trial.Optimizer is "adam" or "sgd" && t.Trial.LearningRate < 0.05 && t.Trial.Mse < 300)
            .OrderByDescending(t => t.Trial.Mse).Select(t => (long)t.Index).ToList();
        Assert.Equal(expected.Count, page.GetProperty("total").GetInt64());
        Assert.Equal(expected.Skip(3).Take(3), page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("index").GetInt64()));
    }

    [Theory]
    [MemberData(nameof(ApiFixture.Providers), MemberType = typeof(ApiFixture))]
    public async Task Trials_BadFilter_Returns400NamingThePosition(string provider)
    {
        var app = fixture.App(provider);
        var sweep = await Seed.SweepAsync(app.Store, "bad-filter");
        using var client = app.Client();

        var response = await client.GetAsync($"/api/sweeps/{sweep.Id}/trials?filter={Uri.EscapeDataString("mse < 1; DROP TABLE trials")}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var after = await client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{sweep.Id}/trials");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("filter", 8), (problem.GetProperty("part").GetString(), problem.GetProperty("position").GetInt32()));
        Assert.Contains("position 8: unexpected character ';'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(24, after.GetProperty("total").GetInt64());
    }

    [Theory]
    [MemberData(nameof(ApiFixture.Providers), MemberType = typeof(ApiFixture))]
    public async Task Launch_WithoutOrWithWrongKey_Returns401AndStoresNothing(string provider)
    {
        var app = fixture.App(provider);
        var name = $"unauth-{Guid.NewGuid():N}"[..16];
        using var anonymous = app.Client();
        using var wrong = app.Client("not-the-key");

        var none = await anonymous.PostAsync("/api/sweeps", Yaml(Specs.Small(name)));
        var bad = await wrong.PostAsync("/api/sweeps", Yaml(Specs.Small(name)));
        var cancel = await anonymous.PostAsync("/api/sweeps/anything/cancel", null);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (none.StatusCode, bad.StatusCode, cancel.StatusCode));
        Assert.DoesNotContain(await app.Store.ListSweepsAsync(), s => s.Name == name);
    }

    [Theory]
    [MemberData(nameof(ApiFixture.Providers), MemberType = typeof(ApiFixture))]
    public async Task Launch_InvalidSpec_Returns400WithTheValidateMessages(string provider)
    {
        var app = fixture.App(provider);
        using var client = app.Client(DashboardApp.Key);
        const string spec = "name: broken\nexperiment: linear-regression\ngrid:\n  learning_rate: [0.1, -2]\n";

        var response = await client.PostAsync("/api/sweeps", Yaml(spec));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = problem.GetProperty("errors").EnumerateArray().Single();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((4, 24), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()));
        Assert.StartsWith("spec.yaml:4:24: grid.learning_rate", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await app.Store.ListSweepsAsync(), s => s.Name == "broken");
    }

    [Theory]
    [InlineData(ApiFixture.Sqlite, "'/etc/passwd' is outside the folders file parameters may use (")]
    [InlineData(ApiFixture.Postgres, "'/etc/passwd': file parameters are disabled here (no folders are allowed: set GradDescent__Files__Roots__0)")]
    public async Task Launch_DataFileOutsideTheDashboardsRoots_Returns400AtItsLineAndStoresNothing(string provider, string expected)
    {
        var app = fixture.App(provider);
        using var client = app.Client(DashboardApp.Key);
        var name = $"file-gate-{Guid.NewGuid():N}"[..20];
        var spec = $"name: {name}\nexperiment: linear-regression\nparameters:\n  data: /etc/passwd\n";

        var response = await client.PostAsync("/api/sweeps", Yaml(spec));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = problem.GetProperty("errors").EnumerateArray().Single();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(4, error.GetProperty("line").GetInt32());
        Assert.StartsWith("spec.yaml:4:", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await app.Store.ListSweepsAsync(), s => s.Name == name);
    }

    [Fact]
    public async Task Launch_WithKeyOnSqlite_Returns201AndTheSweepCompletesOnTheLocalWorker()
    {
        var app = fixture.App(ApiFixture.Sqlite);
        using var client = app.Client(DashboardApp.Key);
        var name = $"api-launch-{Guid.NewGuid():N}"[..20];

        var response = await client.PostAsync("/api/sweeps", Yaml(Specs.Small(name)));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var end = await Events.WaitForEndAsync(client, id, TimeSpan.FromMinutes(2));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/sweeps/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("completed", end);
        Assert.Equal(4, (await app.Store.GetStoredTrialIndexesAsync(id)).Count);
        var worker = (await client.GetFromJsonAsync<JsonElement>("/api/workers")).EnumerateArray().Single();
        Assert.Equal(("cpu", 1), (worker.GetProperty("device").GetString(), worker.GetProperty("slots").GetInt32()));
        Assert.InRange(worker.GetProperty("batchesDone").GetInt64(), 1, 1000);
        Assert.InRange(worker.GetProperty("trialsLeased").GetInt64(), 4, 1000);
    }

    [Theory]
    [MemberData(nameof(ApiFixture.Providers), MemberType = typeof(ApiFixture))]
    public async Task TrialsCsv_Filtered_HoldsExactlyTheMatchingRowsInSortOrder(string provider)
    {
        var app = fixture.App(provider);
        var sweep = await Seed.SweepAsync(app.Store, "csv");
        using var client = app.Client();

        var csv = await client.GetStringAsync($"/api/sweeps/{sweep.Id}/trials.csv?filter={Uri.EscapeDataString("optimizer = gd or status = diverged")}&sort=-trial_index");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var expected = Enumerable.Range(0, 24).Where(i => Seed.Trial(i, 2) is { Optimizer: "gd" } or { Status: Abstractions.Trials.TrialStatus.Diverged }).Reverse();
        Assert.StartsWith("trial_index,status,seed,attempts,worker_id,device,duration_ms,diverged_at_step,error,", lines[0], StringComparison.Ordinal);
        Assert.Equal(expected.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines.Skip(1).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public async Task PauseResumeCancel_WithKeyOnPostgres_ChangeTheSweepThroughTheCluster()
    {
        var app = fixture.App(ApiFixture.Postgres);
        using var client = app.Client(DashboardApp.Key);
        var launched = await client.PostAsync("/api/sweeps", Yaml(Specs.Small($"cluster-{Guid.NewGuid():N}"[..16])));
        var id = (await launched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var paused = await StatusAfterAsync(client, $"/api/sweeps/{id}/pause");
        var resumed = await StatusAfterAsync(client, $"/api/sweeps/{id}/resume");
        var cancelled = await StatusAfterAsync(client, $"/api/sweeps/{id}/cancel");

        Assert.Equal(HttpStatusCode.Created, launched.StatusCode);
        Assert.Equal(("paused", "running", "cancelled"), (paused, resumed, cancelled));
        Assert.Equal(Abstractions.Storage.SweepStatus.Cancelled, (await app.Store.GetSweepAsync(id))!.Status);
    }

    [Fact]
    public async Task Launch_SpecLargerThanTheLimit_Returns413()
    {
        using var client = fixture.App(ApiFixture.Sqlite).Client(DashboardApp.Key);
        var huge = Specs.Small("huge") + "\n# " + new string('x', 1024 * 1024) + "\n";

        var response = await client.PostAsync("/api/sweeps", Yaml(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheSweepAndTrialEndpoints()
    {
        using var client = fixture.App(ApiFixture.Sqlite).Client();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/api/sweeps", paths);
        Assert.Contains("/api/sweeps/{idOrName}/trials", paths);
        Assert.Contains("/api/sweeps/{idOrName}/cancel", paths);
        Assert.Contains("/api/workers", paths);
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey").GetProperty("scheme").GetString());
    }

    private static async Task<string?> StatusAfterAsync(HttpClient client, string url)
    {
        var response = await client.PostAsync(url, null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString();
    }

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");
}
