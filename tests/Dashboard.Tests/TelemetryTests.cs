using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GradDescent.Dashboard.Tests.Infrastructure;

namespace GradDescent.Dashboard.Tests;

/// <summary>The dashboard serves <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> on its own URL, as every long-running process.</summary>
public sealed class TelemetryTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(ApiFixture.Sqlite, new[] { "cluster", "silo", "store" })]
    [InlineData(ApiFixture.Postgres, new[] { "silo", "store" })]
    public async Task Readyz_OnTheDashboardUrl_TurnsReadyWithEveryCheckOk(string provider, string[] checks)
    {
        using var client = fixture.App(provider).Client();

        var body = await WaitUntilReadyAsync(client);
        var health = await client.GetStringAsync("/healthz");

        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal(checks, body.GetProperty("checks").EnumerateObject().Select(c => c.Name));
        Assert.All(body.GetProperty("checks").EnumerateObject(), c => Assert.Equal("ok", c.Value.GetString()));
        Assert.Equal("""{"status":"healthy"}""", health);
    }

    [Theory]
    [InlineData(ApiFixture.Sqlite, new[] { "graddescent_store_write_errors_total", "graddescent_trials_completed_total", "graddescent_sweeps_active", "graddescent_leases_granted_total", "graddescent_worker_slots", "graddescent_worker_batches_total" })]
    [InlineData(ApiFixture.Postgres, new[] { "graddescent_store_write_errors_total" })]
    public async Task Metrics_OnTheDashboardUrl_ServesTheComponentsSeriesAndTheRuntimes(string provider, string[] series)
    {
        using var client = fixture.App(provider).Client();

        var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        var names = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.All(series, name => Assert.Contains(name, names));
        Assert.Contains(names, n => n.StartsWith("dotnet_", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("process_", StringComparison.Ordinal));
    }

    /// <summary>Asks <c>/readyz</c> until it answers 200 (the in-process worker answers once libtorch has loaded).</summary>
    private static async Task<JsonElement> WaitUntilReadyAsync(HttpClient client)
    {
        using var cancel = new CancellationTokenSource(Generous);
        var last = "no answer";
        while (true)
        {
            using (var response = await client.GetAsync("/readyz", cancel.Token))
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancel.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return body;
                }

                last = $"{(int)response.StatusCode} {body}";
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"/readyz was not 200 within {Generous}; last: {last}");
            }
        }
    }
}
