using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GradDescent.Abstractions.Storage;
using GradDescent.Dashboard.Tests.Infrastructure;

namespace GradDescent.Dashboard.Tests;

/// <summary>Keys, read access, rate limit, anti-forgery, encoding and headers, each on a dashboard configured for it.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"gd-dashboard-security-{Guid.NewGuid():N}");
    private DashboardApp noKeys = null!;
    private DashboardApp locked = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        noKeys = new DashboardApp($"Data Source={Path.Combine(folder, "open.db")}", new Dictionary<string, string?> { ["GradDescent:Dashboard:ApiKeys:0"] = string.Empty });
        locked = new DashboardApp(
            $"Data Source={Path.Combine(folder, "locked.db")}",
            new Dictionary<string, string?> { ["GradDescent:Dashboard:RequireKeyToRead"] = "true", ["GradDescent:Dashboard:LaunchesPerMinute"] = "2" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await noKeys.DisposeAsync();
        await locked.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task NoKeyConfigured_StateChangesAreRefusedAndButtonsDisabled()
    {
        using var client = noKeys.Client("any-key-at-all");

        var launch = await client.PostAsync("/api/sweeps", Yaml(Specs.Small("refused")));
        var detail = (await launch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        var page = await client.GetStringAsync("/launch");

        Assert.Equal(HttpStatusCode.Unauthorized, launch.StatusCode);
        Assert.Contains("no API key is configured", detail, StringComparison.Ordinal);
        Assert.Contains("Launching is disabled", page, StringComparison.Ordinal);
        Assert.Contains("formaction=\"/launch?handler=launch\" class=\"primary\" disabled=\"disabled\"", page, StringComparison.Ordinal);
        Assert.Empty(await noKeys.Store.ListSweepsAsync());
    }

    [Fact]
    public async Task SweepNamesAndDescriptions_AreHtmlEncodedOnEveryPage()
    {
        var evil = "<script>alert(1)</script>";
        var sweep = await Seed.SweepAsync(noKeys.Store, evil, id: $"evil-{Guid.NewGuid():N}");
        using var client = noKeys.Client();

        var list = await client.GetStringAsync("/");
        var detail = await client.GetStringAsync($"/sweeps/{sweep.Id}");

        foreach (var html in new[] { list, detail })
        {
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
            Assert.DoesNotContain(evil, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadingRequiresAKey_WhenConfigured()
    {
        using var anonymous = locked.Client();
        using var keyed = locked.Client(DashboardApp.Key);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = locked.BaseAddress };

        var refused = await anonymous.GetAsync("/api/sweeps");
        var allowed = await keyed.GetAsync("/api/sweeps");
        var page = await noRedirects.GetAsync("/");
        var health = await anonymous.GetAsync("/healthz");
        var metrics = await anonymous.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location?.AbsolutePath, StringComparison.Ordinal);
        // Probes and Prometheus cannot sign in: health and metrics stay open.
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (health.StatusCode, metrics.StatusCode));
    }

    [Fact]
    public async Task SpecChecks_BeyondTheLimitPerMinute_Answer429()
    {
        using var client = locked.Client(DashboardApp.Key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.PostAsync("/api/specs/check", Yaml(Specs.Small("limited")))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task PagePostWithoutAntiforgeryToken_IsRejectedAndChangesNothing()
    {
        var sweep = await Seed.SweepAsync(noKeys.Store, "forgery");
        await noKeys.Store.SetSweepStatusAsync(sweep.Id, SweepStatus.Running);
        using var client = noKeys.Client();

        var response = await client.PostAsync($"/sweeps/{sweep.Id}/actions/cancel", new FormUrlEncodedContent([new("returnUrl", "/")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(SweepStatus.Running, (await noKeys.Store.GetSweepAsync(sweep.Id))!.Status);
    }

    [Fact]
    public async Task EveryResponse_CarriesTheSecurityHeaders()
    {
        using var client = noKeys.Client();

        var response = await client.GetAsync("/");

        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");
}
