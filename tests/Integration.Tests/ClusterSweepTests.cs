using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// Cluster mode as deployed: a control silo, two worker processes and PostgreSQL, all separate
/// processes speaking mutual TLS (certificates of <c>graddescent certs create</c>); one worker is killed
/// with SIGKILL in the middle of a sweep.
/// </summary>
public sealed class ClusterSweepTests(PostgresDatabaseFixture postgres, ClusterCertificatesFixture certificates)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<ClusterCertificatesFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Submit_TwoWorkersOneKilledMidSweep_EveryTrialStoredExactlyOnceOnBothWorkers()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("cluster.yaml", Specs.SlowVectorSpread("it-cluster", seeds: 16));
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        var environment = ClusterEnvironment.Create(connection, certificates).Variables;
        environment["GradDescent__Sweeps__LeaseDuration"] = "00:00:04";
        environment["GradDescent__Worker__MaxBatchTrials"] = "4";
        environment["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";
        // Two workers on one machine: no metrics endpoints (they would share the default port).
        environment["GradDescent__Telemetry__Port"] = "0";

        await using var silo = CliProcess.Start(["silo"], environment);
        await using var survivor = CliProcess.Start(["worker", "--worker-id", "survivor"], environment);
        await using var victim = CliProcess.Start(["worker", "--worker-id", "victim"], environment);
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], environment);

        // Kill the victim once it has stored work and the sweep is still far from done.
        var sweepId = (string)JsonNode.Parse(await submit.WaitForLineAsync(l => l.Contains("\"event\":\"submitted\"", StringComparison.Ordinal), Generous, "announcing the sweep"))!["sweep"]!;
        await submit.WaitForLineAsync(
            line => line.Contains("\"event\":\"progress\"", StringComparison.Ordinal) && VictimHasStored(connection, sweepId),
            Generous,
            "after the victim worker stored a batch");
        victim.KillHard();

        var exitCode = await submit.WaitForExitAsync(Generous);

        Assert.True(exitCode == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{silo.Stderr}");
        var results = await Results.ReadAsync(connection, sweepId);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.Equal(["survivor", "victim"], results.Select(r => r.WorkerId).Distinct().Order());
        Assert.Contains(results, r => r.WorkerId == "survivor");
        var finished = JsonNode.Parse(submit.Stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(("completed", 32L), ((string?)finished["state"], (long)finished["total"]!));
    }

    private static bool VictimHasStored(string connection, string sweepId) =>
        Results.ReadAsync(connection, sweepId).GetAwaiter().GetResult().Any(r => r.WorkerId == "victim");
}
