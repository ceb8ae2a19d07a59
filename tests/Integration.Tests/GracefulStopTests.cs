using System.Text.Json.Nodes;
using GradDescent.Abstractions.Storage;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using GradDescent.Storage.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// Processes stopped with SIGTERM (as Kubernetes stops a pod), on a cluster of separate processes on PostgreSQL. A worker
/// in the middle of a leased batch leases nothing more, finishes and stores the batch when its drain allows, and
/// otherwise hands the batch back so another worker takes it at once: the lease lasts 10 minutes, far longer than the
/// tests wait, so only a hand-back can explain another worker getting the trials. A silo leaves the cluster: its row in
/// Orleans' membership table says dead, so no peer waits for it to be voted out.
/// </summary>
public sealed class GracefulStopTests(PostgresDatabaseFixture postgres, ClusterCertificatesFixture certificates)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<ClusterCertificatesFixture>
{
    private const int Trials = 4;

    /// <summary>Orleans' SiloStatus values in the membership table.</summary>
    private const int Active = 3;
    private const int Dead = 6;

    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Worker_SigtermMidBatchPastItsDrain_HandsTheBatchBackAndAnotherWorkerStoresItBeforeTheLeaseExpires()
    {
        using var folder = new TempFolder();
        var (environment, siloMetrics, spec, connection) = await PrepareAsync(folder, "it-hand-back", iterations: 1500);
        var drainer = new Dictionary<string, string>(environment) { ["GradDescent__Worker__DrainTimeout"] = "00:00:00" };

        await using var silo = CliProcess.Start(["silo"], new Dictionary<string, string>(environment) { ["GradDescent__Telemetry__Port"] = $"{siloMetrics}" });
        await using var first = CliProcess.Start(["worker", "--worker-id", "first", "--slots", "1"], drainer);
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], environment);
        var sweepId = await SweepIdAsync(submit);
        await Scrape.WaitForSumAsync(siloMetrics, "graddescent_trials_running", v => v == Trials, Generous, $"{Trials} (the first worker's lease)", silo);

        first.Terminate();
        var firstExit = await first.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var afterHandBack = await Scrape.SamplesAsync(siloMetrics);
        await using var second = CliProcess.Start(["worker", "--worker-id", "second", "--slots", "1"], environment);
        var submitExit = await submit.WaitForExitAsync(Generous);

        Assert.True(firstExit is 0 or 130, $"the stopped worker exited with {firstExit}:\n{first.Stderr}");
        Assert.Contains("\"EventId\":4205", first.Stderr, StringComparison.Ordinal);
        Assert.Equal((0d, (double)Trials), (afterHandBack.Sum("graddescent_trials_running"), afterHandBack.Sum("graddescent_trials_pending")));
        Assert.True(submitExit == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{silo.Stderr}");
        var results = await Results.ReadAsync(connection, sweepId);
        Assert.Equal(Enumerable.Range(0, Trials).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.All(results, r => Assert.Equal("second", r.WorkerId));
        Assert.Equal(0, (await Scrape.SamplesAsync(siloMetrics)).Sum("graddescent_leases_expired_total"));
    }

    [Fact]
    public async Task Worker_SigtermMidBatchWithinItsDrain_StoresTheBatchThenExits()
    {
        using var folder = new TempFolder();
        var (environment, siloMetrics, spec, connection) = await PrepareAsync(folder, "it-drain", iterations: 300);
        var drainer = new Dictionary<string, string>(environment) { ["GradDescent__Worker__DrainTimeout"] = "00:03:00" };

        await using var silo = CliProcess.Start(["silo"], new Dictionary<string, string>(environment) { ["GradDescent__Telemetry__Port"] = $"{siloMetrics}" });
        await using var worker = CliProcess.Start(["worker", "--worker-id", "drainer", "--slots", "1"], drainer);
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], environment);
        var sweepId = await SweepIdAsync(submit);
        await Scrape.WaitForSumAsync(siloMetrics, "graddescent_trials_running", v => v == Trials, Generous, $"{Trials} (the worker's lease)", silo);

        worker.Terminate();
        var workerExit = await worker.WaitForExitAsync(Generous);
        var submitExit = await submit.WaitForExitAsync(Generous);

        // The one lease held every trial: the sweep completes with no other worker.
        Assert.True(workerExit is 0 or 130, $"the stopped worker exited with {workerExit}:\n{worker.Stderr}");
        Assert.DoesNotContain("\"EventId\":4205", worker.Stderr, StringComparison.Ordinal);
        Assert.True(submitExit == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{silo.Stderr}");
        var results = await Results.ReadAsync(connection, sweepId);
        Assert.Equal(Enumerable.Range(0, Trials).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.All(results, r => Assert.Equal("drainer", r.WorkerId));
        Assert.Equal(0, (await Scrape.SamplesAsync(siloMetrics)).Sum("graddescent_leases_expired_total"));
    }

    [Fact]
    public async Task Silo_Sigterm_LeavesTheClusterAsDeadInTheMembershipTable()
    {
        using var folder = new TempFolder();
        var (environment, siloMetrics, _, connection) = await PrepareAsync(folder, "it-silo-stop", iterations: 10);
        var clusterId = environment["GradDescent__Cluster__ClusterId"];
        // A paused sweep in the store: the silo's graddescent_sweeps{status="paused"} reads 1 once its last hosted service
        // (the gauge's refresher) runs, that is once the host has started, and then /readyz answers 200. (A stop request
        // while the host starts cancels Orleans' start, and such a silo does not leave the cluster cleanly.)
        await using (var store = ResultStoreFactory.Create(connection))
        {
            await store.EnsureSchemaAsync();
            await store.CreateSweepAsync(new SweepRecord
            {
                Id = "it-paused",
                Name = "it-paused",
                Experiment = "linear-regression",
                Spec = Specs.Tiny("it-paused"),
                SpecFormat = "yaml",
                Status = SweepStatus.Pending,
                TotalTrials = 2,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await store.SetSweepStatusAsync("it-paused", SweepStatus.Paused);
        }

        await using var silo = CliProcess.Start(["silo"], new Dictionary<string, string>(environment) { ["GradDescent__Telemetry__Port"] = $"{siloMetrics}" });
        await Polling.UntilAsync(
            async () =>
            {
                var paused = (await Scrape.SamplesAsync(siloMetrics)).Where(s => s.Name == "graddescent_sweeps" && s.Labels.GetValueOrDefault("status") == "paused").Sum(s => s.Value);
                return (paused == 1, paused, $"{paused}");
            },
            Generous,
            TimeSpan.FromMilliseconds(200),
            last => $"the silo's graddescent_sweeps{{status=\"paused\"}} never read the paused sweep; last: {last}\n{silo.Stderr}",
            silo);
        await Scrape.WaitUntilReadyAsync(siloMetrics, Generous, silo);
        var joined = await MembershipStatusesAsync(connection, clusterId);

        silo.Terminate();
        var exit = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var left = await MembershipStatusesAsync(connection, clusterId);

        Assert.True(exit is 0 or 130, $"the silo exited with {exit}:\n{silo.Stderr}");
        Assert.DoesNotContain("non-graceful", silo.Stderr, StringComparison.Ordinal);
        Assert.Equal(Active, Assert.Single(joined));
        Assert.Equal(Dead, Assert.Single(left));
    }

    /// <summary>The Orleans membership rows' statuses (SiloStatus: 3 active, 6 dead) of one cluster.</summary>
    private static async Task<List<int>> MembershipStatusesAsync(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM orleansmembershiptable WHERE deploymentid = @cluster", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var statuses = new List<int>();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetInt32(0));
        }

        return statuses;
    }

    /// <summary>A cluster's environment with one 4-trial lease per sweep and a 10-minute lease; the silo's metrics port; the spec.</summary>
    private async Task<(Dictionary<string, string> Environment, int SiloMetrics, string Spec, string Connection)> PrepareAsync(TempFolder folder, string name, int iterations)
    {
        var spec = folder.Write($"{name}.yaml", Specs.SlowVectorSpread(name, seeds: Trials / 2, iterations));
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        var environment = ClusterEnvironment.Create(connection, certificates).Variables;
        environment["GradDescent__Sweeps__LeaseDuration"] = "00:10:00";
        environment["GradDescent__Worker__MaxBatchTrials"] = $"{Trials}";
        environment["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";
        environment["GradDescent__Logging__Format"] = "json";
        environment["GradDescent__Telemetry__Port"] = "0";
        return (environment, FreePorts.Next(), spec, connection);
    }

    private static async Task<string> SweepIdAsync(CliProcess submit) =>
        (string)JsonNode.Parse(await submit.WaitForLineAsync(l => l.Contains("\"event\":\"submitted\"", StringComparison.Ordinal), Generous, "announcing the sweep"))!["sweep"]!;
}
