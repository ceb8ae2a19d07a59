using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using GradDescent.Storage.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace GradDescent.Integration.Tests;

/// <summary>
/// The chaos suite: one sweep on PostgreSQL with a control silo and two workers while workers are killed with
/// SIGKILL (and replaced), the silo is killed and restarted, a worker is frozen with SIGSTOP until its lease expires
/// and then thawed (its late results are discarded), and the silo's database connections are cut and restored. Every
/// trial must be stored exactly once, the sweep must complete, and the logs must stay bounded. The short profile runs
/// in CI; <c>GRADDESCENT_CHAOS=long</c> runs the long one (3,000 trials, 10 worker kills, 3 silo kills);
/// <c>GRADDESCENT_CHAOS_SEED</c> replays an order of events.
/// </summary>
public sealed class ChaosTests(PostgresDatabaseFixture postgres, ClusterCertificatesFixture certificates, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<ClusterCertificatesFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(4);
    private const int MaxLogBytes = 4 * 1024 * 1024;

    /// <summary>What a cluster silo logs once it answers (its dispatcher woke up at start).</summary>
    private const string SiloActive = "Dispatcher active";

    [Fact]
    public async Task Sweep_WorkersAndSiloKilledWorkerFrozenStoreCut_EveryTrialStoredOnceAndSweepCompletes()
    {
        var profile = ChaosProfile.FromEnvironment();
        using var folder = new TempFolder();
        var spec = folder.Write("chaos.yaml", profile.Spec);
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        await using var storeSwitch = StoreSwitch.Start(connection);
        var cluster = ClusterEnvironment.Create(connection, certificates).Variables;
        cluster["GradDescent__Telemetry__Port"] = "0";
        cluster["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";
        cluster["GradDescent__Sweeps__LeaseDuration"] = $"{LeaseDuration}";
        var chaos = new ChaosCluster(storeSwitch.SiloEnvironment(cluster), cluster);
        await using var _ = chaos;
        chaos.StartSilo();
        await UntilAsync(() => chaos.SiloLogCount(SiloActive) > 0, "the silo resuming its control plane (before submitting)");
        chaos.StartWorker(0);
        chaos.StartWorker(1);
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], cluster);
        var sweepId = (string)JsonNode.Parse(await submit.WaitForLineAsync(l => l.Contains("\"event\":\"submitted\"", StringComparison.Ordinal), Generous, "announcing the sweep"))!["sweep"]!;
        await using var store = ResultStoreFactory.Create(connection);
        var random = new Random(profile.Seed);
        var context = $"chaos seed {profile.Seed} ({profile.Name})";

        var late = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var step in profile.Steps(random))
        {
            await UntilMoreStoredAsync(store, sweepId, submit, $"{context}, before {step}");
            var worker = random.Next(2);
            output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {step} (worker slot {worker}), {(await store.GetProgressAsync(sweepId)).Stored} stored");
            switch (step)
            {
                case ChaosStep.KillWorker:
                    chaos.KillWorker(worker);
                    chaos.StartWorker(worker);
                    break;
                case ChaosStep.KillSilo:
                    chaos.KillSilo();
                    chaos.StartSilo();
                    break;
                case ChaosStep.FreezeWorker:
                    // A worker just (re)started may hold no lease yet, and freezing it would wait for nothing to expire:
                    // freeze it once it has stored work of this sweep (it leases again at once while trials are pending).
                    await UntilWorkerStoredAsync(connection, sweepId, chaos.WorkerId(worker), submit, context);
                    late += await FreezePastLeaseAsync(chaos, worker, context);
                    break;
                case ChaosStep.CutStore:
                    var cutsBefore = chaos.SiloLogCount("the result store is unavailable");
                    storeSwitch.Sever();
                    await UntilAsync(() => chaos.SiloLogCount("the result store is unavailable") > cutsBefore, $"{context}: the silo noticing the store is gone");
                    storeSwitch.Restore();
                    break;
            }
        }

        var exitCode = await submit.WaitForExitAsync(Generous);
        output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  sweep finished ({context})");

        Assert.True(exitCode == 0, $"{context}: submit failed:\n{submit.Stderr}\nsilo:\n{chaos.SiloLog}");
        var finished = JsonNode.Parse(submit.Stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(("finished", "completed"), ((string?)finished["event"], (string?)finished["state"]));
        var stored = (await store.GetStoredTrialIndexesAsync(sweepId)).Order().ToList();
        Assert.Equal(Enumerable.Range(0, profile.Trials).Select(i => (long)i), stored);
        Assert.Equal(profile.Trials, (await store.GetProgressAsync(sweepId)).Stored);
        Assert.True(late > 0, $"{context}: no late result of a frozen worker was discarded");
        Assert.All(chaos.Logs, log => Assert.True(log.Length < MaxLogBytes, $"{context}: a log grew to {log.Length} bytes"));
        Assert.DoesNotContain("CodecNotFound", string.Concat(chaos.Logs), StringComparison.Ordinal);
    }

    /// <summary>
    /// SIGSTOP until the silo reclaims one of the worker's leases (it names the worker), then SIGCONT until the thawed
    /// worker's late work is refused: its heartbeat says the lease is gone, or the silo discards its results.
    /// </summary>
    private static async Task<int> FreezePastLeaseAsync(ChaosCluster chaos, int slot, string context)
    {
        var id = chaos.WorkerId(slot);
        var expiredBefore = chaos.SiloLogCount($"of worker {id} expired");
        var refusedBefore = chaos.SiloLogCount($"from worker {id}.") + chaos.WorkerLogCount(slot, "expired before its results arrived");
        chaos.Worker(slot).Signal("STOP");
        try
        {
            await UntilAsync(() => chaos.SiloLogCount($"of worker {id} expired") > expiredBefore, $"{context}: a lease of frozen worker {id} expiring");
        }
        finally
        {
            chaos.Worker(slot).Signal("CONT");
        }

        await UntilAsync(
            () => chaos.SiloLogCount($"from worker {id}.") + chaos.WorkerLogCount(slot, "expired before its results arrived") > refusedBefore,
            $"{context}: the late work of thawed worker {id} being refused");
        return 1;
    }

    private static async Task UntilMoreStoredAsync(IResultStore store, string sweepId, CliProcess submit, string context)
    {
        var before = (await store.GetProgressAsync(sweepId)).Stored;
        await Polling.UntilAsync(
            async () =>
            {
                var done = (await store.GetProgressAsync(sweepId)).Stored;
                return (done > before, done, $"{done} trials stored");
            },
            Generous,
            Poll,
            seen => $"{context}: no trial stored within {Generous} ({seen})",
            submit);
    }

    private static async Task UntilWorkerStoredAsync(string connection, string sweepId, string workerId, CliProcess submit, string context) =>
        await Polling.UntilAsync(
            async () =>
            {
                var stored = (await Results.ReadAsync(connection, sweepId)).Count(r => r.WorkerId == workerId);
                return (stored > 0, stored, $"{stored} trials stored by {workerId}");
            },
            Generous,
            Poll,
            seen => $"{context}: worker {workerId} stored nothing within {Generous} ({seen})",
            submit);

    private static Task UntilAsync(Func<bool> condition, string expectation) =>
        Polling.UntilAsync(() => Task.FromResult((condition(), true, "not yet")), Generous, Poll, _ => $"timed out waiting for {expectation}");
}
