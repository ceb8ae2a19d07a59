using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// The result store goes away in the middle of a cluster sweep on PostgreSQL: the silo's database connections run
/// through a switch that drops them all and refuses new ones for a while. Workers hear "store unavailable, retry
/// later" (not "lease expired"), lease nothing meanwhile, send the results they hold again once the store is back,
/// and no trial is computed twice or stored twice.
/// </summary>
public sealed class ClusterStoreOutageTests(PostgresDatabaseFixture postgres, ClusterCertificatesFixture certificates)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<ClusterCertificatesFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Submit_StoreDownMidSweep_WorkersWaitAndEveryTrialComputedAndStoredOnce()
    {
        using var folder = new TempFolder();
        // Batches of seconds: trials must still be computing when the store is cut, on a fast machine too.
        var spec = folder.Write("outage.yaml", Specs.SlowVectorSpread("it-outage", seeds: 8, iterations: 3000));
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        await using var outage = StoreSwitch.Start(connection);

        var cluster = ClusterEnvironment.Create(connection, certificates).Variables;
        cluster["GradDescent__Telemetry__Port"] = "0";
        cluster["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";
        cluster["GradDescent__Sweeps__LeaseDuration"] = "00:00:10";
        await using var silo = CliProcess.Start(["silo"], outage.SiloEnvironment(cluster));
        await using var worker = CliProcess.Start(["worker", "--worker-id", "patient", "--slots", "2"], cluster);
        await silo.WaitForStderrAsync(l => l.Contains("Dispatcher active", StringComparison.Ordinal), Generous, "saying the control plane is up");
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], cluster);
        var sweepId = (string)JsonNode.Parse(await submit.WaitForLineAsync(l => l.Contains("\"event\":\"submitted\"", StringComparison.Ordinal), Generous, "announcing the sweep"))!["sweep"]!;
        await submit.WaitForLineAsync(
            line => line.Contains("\"event\":\"progress\"", StringComparison.Ordinal) && Results.ReadAsync(connection, sweepId).GetAwaiter().GetResult().Count > 0,
            Generous,
            "after the first results were stored");

        outage.Sever();
        await worker.WaitForStderrAsync(l => l.Contains("Result store unavailable, retrying later", StringComparison.Ordinal), Generous, "saying the store is unavailable");
        await silo.WaitForStderrAsync(l => l.Contains("the result store is unavailable", StringComparison.Ordinal), Generous, "saying results wait for the store");
        outage.Restore();
        var exitCode = await submit.WaitForExitAsync(Generous);

        Assert.True(exitCode == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{silo.Stderr}\nworker:\n{worker.Stderr}");
        var results = await Results.ReadAsync(connection, sweepId);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.All(results, r => Assert.Equal(1, r.Attempts));
        Assert.DoesNotContain("expired before its results arrived", worker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("CodecNotFound", worker.Stderr + silo.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("discarded results", silo.Stderr, StringComparison.Ordinal);
        Assert.Contains("the result store is back", silo.Stderr, StringComparison.Ordinal);
    }
}
