using System.Diagnostics;
using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using GradDescent.Storage.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace GradDescent.Integration.Tests;

/// <summary>
/// The control plane as production runs it, two silos, loses the silo that hosts the sweep grain to SIGKILL mid-sweep:
/// the survivor declares it dead, the sweep grain reactivates there from the store, the workers and the
/// <c>submit --wait</c> client (which know every gateway from the membership table) carry on through the survivor, the
/// sweep completes and every trial is stored exactly once. The short profile (one kill) runs in CI;
/// <c>GRADDESCENT_CHAOS=long</c> runs 3,000 trials and kills the grain's host three times, each time starting a
/// replacement silo first so two silos run again. How long the survivor took is written to the test output.
/// </summary>
public sealed class TwoSiloChaosTests(PostgresDatabaseFixture postgres, ClusterCertificatesFixture certificates, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<ClusterCertificatesFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private const int MaxLogBytes = 4 * 1024 * 1024;

    [Fact]
    public async Task Sweep_SiloHostingSweepGrainKilled_GrainMovesToSurvivorAndEveryTrialStoredOnce()
    {
        var (name, seeds, iterations, kills) = Environment.GetEnvironmentVariable("GRADDESCENT_CHAOS") == "long"
            ? ("long", 1500, 100, 3)
            : ("short", 30, 1000, 1);
        var trials = 2 * seeds;
        using var folder = new TempFolder();
        var spec = folder.Write("two-silos.yaml", Specs.SlowVectorSpread($"it-two-silos-{name}", seeds, iterations));
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        var cluster = ClusterEnvironment.Create(connection, certificates).Variables;
        cluster["GradDescent__Telemetry__Port"] = "0";
        cluster["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";
        cluster["GradDescent__Sweeps__LeaseDuration"] = "00:00:10";

        await using var silos = new ControlPlaneSilos(cluster);
        await silos.StartAsync();
        await silos.StartAsync();
        await using var worker0 = CliProcess.Start(["worker", "--worker-id", "pair-0", "--slots", "2"], cluster);
        await using var worker1 = CliProcess.Start(["worker", "--worker-id", "pair-1", "--slots", "2"], cluster);
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], cluster);
        var sweepId = (string)JsonNode.Parse(await submit.WaitForLineAsync(l => l.Contains("\"event\":\"submitted\"", StringComparison.Ordinal), Generous, "announcing the sweep"))!["sweep"]!;
        await using var store = ResultStoreFactory.Create(connection);
        // EventId 2001, logged by the silo where the sweep grain loads its run from the store (first start or reactivation).
        var activation = $"Sweep {sweepId}: {trials} trials, ";

        var storedByWorker = new Dictionary<string, int>();
        for (var kill = 1; kill <= kills; kill++)
        {
            var before = (await store.GetProgressAsync(sweepId)).Stored;
            var stored = await UntilStoredAsync(store, sweepId, submit, done => done > before && done < trials, $"more trials stored before kill {kill} (sweep not complete)");

            // The grain's host is the running silo that logged the grain's activation; it must be exactly one of them.
            var host = await Polling.UntilAsync(
                () =>
                {
                    var hosts = silos.Running.Where(s => s.LogCount(activation) > 0).ToList();
                    return Task.FromResult((hosts.Count == 1, hosts.FirstOrDefault(), $"{hosts.Count} running silos logged '{activation}'"));
                },
                Generous,
                Poll,
                seen => $"kill {kill}: not exactly one running silo hosts sweep {sweepId} ({seen})",
                submit);
            var survivor = Assert.Single(silos.Running, s => s != host);
            var activationsBefore = survivor.LogCount(activation);
            storedByWorker = (await Results.ReadAsync(connection, sweepId)).GroupBy(r => r.WorkerId).ToDictionary(g => g.Key, g => g.Count());

            var logsAtKill = new[] { survivor.Process, worker0, worker1 }.Select(p => p.Stderr.Length).ToArray();
            var clock = Stopwatch.StartNew();
            host!.Kill();
            output.WriteLine($"kill {kill}: {DateTime.Now:HH:mm:ss.f} SIGKILL of {host} (hosts sweep {sweepId}) with {stored}/{trials} stored; {survivor} survives");
            await Polling.UntilAsync(
                () => Task.FromResult((survivor.LogCount(activation) > activationsBefore, true, $"{survivor.LogCount(activation)} activations")),
                Generous,
                Poll,
                seen => $"kill {kill}: the sweep grain did not reactivate on the survivor {survivor} within {Generous} ({seen})",
                survivor.Process);
            var reactivated = clock.Elapsed;
            await UntilStoredAsync(store, sweepId, submit, done => done > stored, $"a trial stored after kill {kill}");
            output.WriteLine($"kill {kill}: sweep grain active on {survivor} after {reactivated.TotalSeconds:0.0} s, next trial stored after {clock.Elapsed.TotalSeconds:0.0} s");
            WriteSince("survivor", survivor.Process, logsAtKill[0]);
            WriteSince("worker pair-0", worker0, logsAtKill[1]);
            WriteSince("worker pair-1", worker1, logsAtKill[2]);

            if (kill < kills)
            {
                var replacement = await silos.StartAsync();
                output.WriteLine($"kill {kill}: replacement {replacement} joined after {clock.Elapsed.TotalSeconds:0.0} s");
            }
        }

        var exitCode = await submit.WaitForExitAsync(Generous);
        foreach (var stopped in silos.ExitedByThemselves)
        {
            output.WriteLine($"{stopped} stopped without being killed (voted dead while alive?):\n{stopped.Process.Stderr}");
        }

        var logs = string.Join("\n---\n", silos.Logs);
        Assert.True(exitCode == 0, $"submit failed:\n{submit.Stderr}\nsilos:\n{logs}");
        var finished = JsonNode.Parse(submit.Stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(("finished", "completed"), ((string?)finished["event"], (string?)finished["state"]));
        Assert.Equal(Enumerable.Range(0, trials).Select(i => (long)i), (await store.GetStoredTrialIndexesAsync(sweepId)).Order());
        Assert.Equal(trials, (await store.GetProgressAsync(sweepId)).Stored);

        // Both workers survived their silo's death and went on storing work through the survivor.
        var storedAtEnd = (await Results.ReadAsync(connection, sweepId)).GroupBy(r => r.WorkerId).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (worker, id) in new[] { (worker0, "pair-0"), (worker1, "pair-1") })
        {
            Assert.False(worker.HasExited, $"worker {id} exited:\n{worker.Stderr}");
            Assert.True(
                storedAtEnd.GetValueOrDefault(id) > storedByWorker.GetValueOrDefault(id),
                $"worker {id} stored nothing after the last kill ({storedByWorker.GetValueOrDefault(id)} before, {storedAtEnd.GetValueOrDefault(id)} at the end):\n{worker.Stderr}");
        }

        Assert.All(silos.Logs.Append(worker0.Stderr).Append(worker1.Stderr).Append(submit.Stderr), log => Assert.True(log.Length < MaxLogBytes, $"a log grew to {log.Length} bytes"));
        Assert.DoesNotContain("CodecNotFound", logs + worker0.Stderr + worker1.Stderr, StringComparison.Ordinal);
    }

    /// <summary>What a process logged during the failover (at most 30 lines): the timeline when recovery is slow.</summary>
    private void WriteSince(string who, CliProcess process, int offset)
    {
        foreach (var line in process.Stderr[offset..].Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(30))
        {
            output.WriteLine($"  {who}: {(line.Length > 300 ? line[..300] : line)}");
        }
    }

    private static Task<long> UntilStoredAsync(IResultStore store, string sweepId, CliProcess submit, Func<long, bool> condition, string expectation) =>
        Polling.UntilAsync(
            async () =>
            {
                var done = (await store.GetProgressAsync(sweepId)).Stored;
                return (condition(done), done, $"{done} trials stored");
            },
            Generous,
            Poll,
            seen => $"timed out waiting for {expectation} ({seen})",
            submit);
}
