using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// What Prometheus and Kubernetes see of a cluster: a worker started before its silo is not ready until a
/// silo answers; every series is exported at zero before work; after a sweep the counters equal what the
/// store holds; promtool accepts every graddescent_* series of a real scrape.
/// </summary>
public sealed class ClusterMetricsTests(PostgresDatabaseFixture postgres, ClusterCertificatesFixture certificates)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<ClusterCertificatesFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    private static readonly string[] SiloCounters =
        ["graddescent_leases_granted_total", "graddescent_leases_expired_total", "graddescent_store_write_errors_total"];

    [Fact]
    public async Task SiloWorkerSubmit_OnPostgres_ReadyzTurnsReadyAndCountersMatchStoredTrials()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("metrics.yaml", Specs.SmallLinearRegression);
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        var (siloMetrics, workerMetrics) = (FreePorts.Next(), FreePorts.Next());
        var environment = ClusterEnvironment.Create(connection, certificates).Variables;
        environment["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";

        // The worker first: it serves its endpoint at once, but is not ready without a silo.
        await using var worker = CliProcess.Start(["worker", "--worker-id", "metrics-worker", "--pool", "cpu", "--slots", "1", "--metrics-port", $"{workerMetrics}"], environment);
        await worker.WaitForStderrAsync(l => l.Contains("Serving /metrics", StringComparison.Ordinal), Generous, "announcing the worker's endpoint");
        var (beforeStatus, beforeBody) = await Scrape.ReadyzAsync(workerMetrics);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, beforeStatus);
        Assert.Equal("not-ready", (string?)beforeBody["status"]);
        Assert.NotEqual("ok", (string?)beforeBody["checks"]!["silo"]);

        await using var silo = CliProcess.Start(["silo", "--metrics-port", $"{siloMetrics}"], environment);
        await Scrape.WaitUntilReadyAsync(siloMetrics, Generous, silo);
        await Scrape.WaitUntilReadyAsync(workerMetrics, Generous, worker);
        var (siloStatus, siloBody) = await Scrape.ReadyzAsync(siloMetrics);
        Assert.Equal(HttpStatusCode.OK, siloStatus);
        Assert.Equal("ok", (string?)siloBody["checks"]!["store"]);
        Assert.Equal("ok", (string?)siloBody["checks"]!["cluster"]);

        // Before any sweep: every series is there, at zero.
        var idleSilo = await Scrape.SamplesAsync(siloMetrics);
        var idleWorker = await Scrape.SamplesAsync(workerMetrics);
        foreach (var experiment in ExperimentCatalog.All)
        {
            foreach (var outcome in new[] { "completed", "diverged", "failed" })
            {
                Assert.Equal(0, idleSilo.Value("graddescent_trials_completed_total", ("experiment", experiment.Name), ("outcome", outcome)));
            }
        }

        Assert.All(SiloCounters, name => Assert.Equal(0, idleSilo.Value(name)));
        Assert.Equal(0, idleSilo.Value("graddescent_sweeps_active"));
        var identity = new[] { ("worker", "metrics-worker"), ("pool", "cpu"), ("device", "cpu") };
        Assert.Equal(1, idleWorker.Value("graddescent_worker_slots", identity));
        Assert.Equal(0, idleWorker.Value("graddescent_worker_slots_busy", identity));
        Assert.Equal(0, idleWorker.Value("graddescent_worker_batches_total", ("worker", "metrics-worker"), ("pool", "cpu")));

        var submit = await CliProcess.RunAsync(["submit", spec, "--wait", "--json", "--no-report"], environment, timeout: Generous);
        Assert.True(submit.ExitCode == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{silo.Stderr}\nworker:\n{worker.Stderr}");
        var sweepId = (string)JsonNode.Parse(submit.Stdout.Split('\n')[0])!["sweep"]!;

        // After it: the silo counted each stored trial once, by outcome; the worker timed each trial once.
        var stored = await Results.ReadAsync(connection, sweepId);
        var siloAfter = await Scrape.SamplesAsync(siloMetrics);
        var workerAfter = await Scrape.SamplesAsync(workerMetrics);
        Assert.Equal(12, stored.Count);
        foreach (var status in Enum.GetValues<TrialStatus>())
        {
            var outcome = status.ToString().ToLowerInvariant();
            Assert.Equal(
                stored.Count(r => r.Status == status),
                siloAfter.Value("graddescent_trials_completed_total", ("experiment", LinearRegressionDefinition.Name), ("outcome", outcome)));
        }

        Assert.Equal(stored.Count, siloAfter.Sum("graddescent_trials_completed_total"));
        Assert.True(siloAfter.Value("graddescent_store_write_duration_seconds_count") >= 1, "no batch write was timed");
        Assert.Equal(siloAfter.Value("graddescent_leases_granted_total"), workerAfter.Value("graddescent_worker_batches_total", ("worker", "metrics-worker"), ("pool", "cpu")));
        Assert.Equal(0, siloAfter.Value("graddescent_sweeps_active"));
        Assert.DoesNotContain(siloAfter, s => s.Labels.TryGetValue("sweep", out var id) && id == sweepId);
        Assert.Equal(stored.Count, workerAfter.Value("graddescent_trial_duration_seconds_count", ("experiment", LinearRegressionDefinition.Name), ("device", "cpu")));
        Assert.Equal(stored.Count, workerAfter.Value("graddescent_batch_size_sum", ("experiment", LinearRegressionDefinition.Name)));

        // promtool (Prometheus' own linter) finds nothing to say about our series.
        Assert.Empty(await PromtoolProblemsAsync(await Scrape.TextAsync(siloMetrics), folder));
        Assert.Empty(await PromtoolProblemsAsync(await Scrape.TextAsync(workerMetrics), folder));
    }

    /// <summary>The lines of <c>promtool check metrics</c> about graddescent_* series.</summary>
    private static async Task<IReadOnlyList<string>> PromtoolProblemsAsync(string scrape, TempFolder folder)
    {
        var path = folder.Write($"scrape-{Guid.NewGuid():N}.prom", scrape);
        var info = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var promtool = Process.Start(info)
            ?? throw new InvalidOperationException("promtool is missing: tests/run-tests.sh installs the Debian 'prometheus' package");
        await promtool.StandardInput.WriteAsync(await File.ReadAllTextAsync(path));
        promtool.StandardInput.Close();
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        Assert.DoesNotContain("error while linting", output, StringComparison.Ordinal);
        return [.. output.Split('\n').Where(l => l.StartsWith("graddescent_", StringComparison.Ordinal))];
    }
}
