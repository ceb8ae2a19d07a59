using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// Placement by pool in a real cluster (silo, worker processes in two pools, PostgreSQL, mutual TLS): a sweep placed in
/// pool b is never leased to the pool-a worker, says in <c>status</c> that it waits while pool b has no live worker,
/// and resumes when one starts, also after pool b's only worker is killed mid-sweep; every trial is stored once, by pool b.
/// </summary>
public sealed class ClusterPlacementTests(PostgresDatabaseFixture postgres, ClusterCertificatesFixture certificates)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<ClusterCertificatesFixture>
{
    private const string NoPoolB = "no live worker matches placement pool=b";

    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Submit_PlacedInPoolB_OnlyPoolBWorkersStoreItAndItWaitsWhilePoolBHasNoLiveWorker()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("placed.yaml", Specs.SlowVectorSpread("it-placement", seeds: 12) + "\nplacement:\n  pool: b\n");
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        var environment = ClusterEnvironment.Create(connection, certificates).Variables;
        environment["GradDescent__Sweeps__LeaseDuration"] = "00:00:04";
        environment["GradDescent__Worker__MaxBatchTrials"] = "4";
        environment["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";
        environment["GradDescent__Telemetry__Port"] = "0";

        await using var silo = CliProcess.Start(["silo"], environment);
        await using var poolA = CliProcess.Start(["worker", "--pool", "a", "--worker-id", "worker-a", "--slots", "1"], environment);
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], environment);
        var sweepId = (string)JsonNode.Parse(await submit.WaitForLineAsync(l => l.Contains("\"event\":\"submitted\"", StringComparison.Ordinal), Generous, "announcing the sweep"))!["sweep"]!;

        // Pool a's worker asks for work all along; pool b has no worker yet.
        await silo.WaitForStderrAsync(l => l.Contains($"Sweep {sweepId} waits: {NoPoolB}", StringComparison.Ordinal), Generous, "saying the sweep waits for pool b");
        var waiting = await StatusWaitingAsync(sweepId, environment);
        var statusText = (await CliProcess.RunAsync(["status", sweepId], environment)).Stdout;
        Assert.Empty(await Results.ReadAsync(connection, sweepId));

        // Pool b's only worker stores a batch, then dies: its lease expires and the sweep waits again.
        await using (var first = CliProcess.Start(["worker", "--pool", "b", "--worker-id", "worker-b1", "--slots", "1"], environment))
        {
            await submit.WaitForLineAsync(
                line => line.Contains("\"event\":\"progress\"", StringComparison.Ordinal) && HasStored(connection, sweepId, "worker-b1"),
                Generous,
                "after pool b's first worker stored a batch");
            first.KillHard();
        }

        await silo.WaitForStderrAsync(l => l.Contains($"Sweep {sweepId} waits: {NoPoolB}", StringComparison.Ordinal), Generous, "saying the sweep waits again once pool b's worker died");
        await using var second = CliProcess.Start(["worker", "--pool", "b", "--worker-id", "worker-b2", "--slots", "1"], environment);
        var exitCode = await submit.WaitForExitAsync(Generous);

        Assert.StartsWith(NoPoolB, waiting, StringComparison.Ordinal);
        Assert.Contains($"status     running (waiting: {NoPoolB}", statusText, StringComparison.Ordinal);
        Assert.True(exitCode == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{silo.Stderr}");
        var results = await Results.ReadAsync(connection, sweepId);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.Subset(new HashSet<string> { "worker-b1", "worker-b2" }, results.Select(r => r.WorkerId).ToHashSet());
        Assert.Contains(results, r => r.WorkerId == "worker-b2");
        var status = JsonNode.Parse((await CliProcess.RunAsync(["status", sweepId, "--json"], environment)).Stdout)!;
        Assert.Equal(("completed", (string?)null, (string?)null), ((string?)status["status"], (string?)status["waiting"], (string?)status["error"]));
    }

    /// <summary>What <c>graddescent status --json</c> says the sweep waits for, once it says so (the store write follows the log line).</summary>
    private static Task<string> StatusWaitingAsync(string sweepId, IReadOnlyDictionary<string, string> environment) =>
        Polling.UntilAsync(
            async () =>
            {
                var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["status", sweepId, "--json"], environment);
                var status = exitCode == 0 ? JsonNode.Parse(stdout) : null;
                var waiting = (string?)status?["waiting"];
                return (waiting is not null && (string?)status!["status"] == "running", waiting ?? string.Empty, exitCode == 0 ? stdout : stderr);
            },
            Generous,
            TimeSpan.FromSeconds(1),
            seen => $"status never showed sweep {sweepId} waiting; last: {seen}");

    private static bool HasStored(string connection, string sweepId, string workerId) =>
        Results.ReadAsync(connection, sweepId).GetAwaiter().GetResult().Any(r => r.WorkerId == workerId);
}
