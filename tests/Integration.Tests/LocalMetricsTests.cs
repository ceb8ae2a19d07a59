using System.Net;
using GradDescent.Integration.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary><c>run --metrics-port</c>: local mode serves the silo's and the worker's series and turns ready.</summary>
public sealed class LocalMetricsTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Run_MetricsPort_ServesHealthReadinessAndEverySeries()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("slow.yaml", Specs.SlowVectorSpread("it-local-metrics", seeds: 8));
        var port = FreePorts.Next();

        await using var run = CliProcess.Start(["run", spec, "--db", folder.File("metrics.db"), "--json", "--no-report", "--slots", "1", "--metrics-port", $"{port}"]);
        await Scrape.WaitUntilReadyAsync(port, Generous, run);
        var sweepLine = await run.WaitForLineAsync(l => l.Contains("\"event\":\"progress\"", StringComparison.Ordinal), Generous, "reporting progress");
        var sweepId = (string)System.Text.Json.Nodes.JsonNode.Parse(sweepLine)!["sweep"]!;
        var samples = await Scrape.SamplesAsync(port);
        var (status, body) = await Scrape.ReadyzAsync(port);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["cluster", "silo", "store"], body["checks"]!.AsObject().Select(c => c.Key).Order());
        string[] everywhere =
        [
            "graddescent_trials_completed_total", "graddescent_sweeps_active", "graddescent_leases_granted_total",
            "graddescent_leases_expired_total", "graddescent_store_write_errors_total", "graddescent_worker_slots",
            "graddescent_worker_slots_busy", "graddescent_worker_batches_total",
        ];
        Assert.All(everywhere, name => Assert.Contains(samples, s => s.Name == name));
        Assert.Equal(16, samples.Value("graddescent_sweep_trials", ("sweep", sweepId)));
        Assert.Equal(1, samples.Value("graddescent_sweeps_active"));
        Assert.Equal(16, await AccountedAsync(port, sweepId, samples));
        Assert.Contains(samples, s => s.Name.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name.StartsWith("process_", StringComparison.Ordinal));
        using var http = new HttpClient();
        Assert.Equal("""{"status":"healthy"}""", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz")));
    }

    /// <summary>
    /// Pending + running + done of the sweep. The three gauges are read one after another during a scrape while the
    /// sweep moves, so one scrape can mix two moments; each moment partitions the sweep, so a later scrape agrees
    /// unless the gauges double-count. Returns the first sum equal to the sweep's size, else the last one seen.
    /// </summary>
    private static async Task<double> AccountedAsync(int port, string sweepId, IReadOnlyList<Sample> first)
    {
        var samples = first;
        var accounted = 0d;
        for (var scrape = 0; scrape < 10; scrape++)
        {
            accounted = samples.Value("graddescent_trials_pending", ("sweep", sweepId))
                + samples.Value("graddescent_trials_running", ("sweep", sweepId))
                + samples.Value("graddescent_sweep_trials_done", ("sweep", sweepId));
            if (accounted == 16)
            {
                return accounted;
            }

            samples = await Scrape.SamplesAsync(port);
        }

        return accounted;
    }
}
