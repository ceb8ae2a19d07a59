using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// Kubernetes scales a worker pool down with SIGTERM: the worker stops leasing, gives its leases back so another
/// worker takes their trials at once (not after the lease expires), and exits 0.
/// </summary>
public sealed class WorkerShutdownTests(PostgresDatabaseFixture postgres, ClusterCertificatesFixture certificates)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<ClusterCertificatesFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Worker_SigtermWhileComputing_GivesLeasesBackAndExitsZero()
    {
        using var folder = new TempFolder();
        // Batches of several seconds: the SIGTERM after the first batch must find the worker computing the second one.
        var spec = folder.Write("shutdown.yaml", Specs.SlowVectorSpread("it-shutdown", seeds: 4, iterations: 6000));
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        var environment = ClusterEnvironment.Create(connection, certificates).Variables;
        environment["GradDescent__Telemetry__Port"] = "0";
        environment["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";
        // Long leases: trials that came back before this could only have been given back.
        environment["GradDescent__Sweeps__LeaseDuration"] = "00:05:00";
        // No drain: the batch it computes at SIGTERM is given back at once (GracefulStopTests covers the drain).
        environment["GradDescent__Worker__DrainTimeout"] = "00:00:00";

        await using var silo = CliProcess.Start(["silo"], environment);
        await using var leaving = CliProcess.Start(["worker", "--worker-id", "leaving", "--slots", "1"], environment);
        await silo.WaitForStderrAsync(l => l.Contains("Dispatcher active", StringComparison.Ordinal), Generous, "saying the control plane is up");
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], environment);
        var sweepId = (string)JsonNode.Parse(await submit.WaitForLineAsync(l => l.Contains("\"event\":\"submitted\"", StringComparison.Ordinal), Generous, "announcing the sweep"))!["sweep"]!;
        await submit.WaitForLineAsync(
            line => JsonNode.Parse(line) is { } e && (string?)e["event"] == "progress" && (long?)e["done"] >= 4,
            Generous,
            "after the first batch (the leaving worker then computes the next one)");

        leaving.Terminate();
        var exitCode = await leaving.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await silo.WaitForStderrAsync(l => l.Contains("worker leaving gave back lease", StringComparison.Ordinal), Generous, "taking the lease back");
        await using var staying = CliProcess.Start(["worker", "--worker-id", "staying", "--slots", "1"], environment);
        var submitExit = await submit.WaitForExitAsync(Generous);

        Assert.True(exitCode == 0, $"the worker exited {exitCode}:\n{leaving.Stderr}");
        Assert.Contains("gave back lease", leaving.Stderr, StringComparison.Ordinal);
        Assert.Contains("stopped.", leaving.Stderr, StringComparison.Ordinal);
        Assert.True(submitExit == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{silo.Stderr}\nstaying:\n{staying.Stderr}");
        var results = await Results.ReadAsync(connection, sweepId);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.Contains(results, r => r.WorkerId == "staying" && r.Attempts == 2);
        Assert.DoesNotContain("of worker leaving expired", silo.Stderr, StringComparison.Ordinal);
    }
}
