using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using Xunit;
using Xunit.Abstractions;

namespace GradDescent.Integration.Tests;

/// <summary>
/// The PostgreSQL server itself goes down mid-sweep and comes back (<c>pg_ctl stop -m immediate</c>, a crash as the
/// server sees it, then a start with crash recovery), not only the connections to it: results, sweep state and the
/// Orleans membership table all live on it. The test runs its own server (<see cref="PrivatePostgres"/>), never the
/// shared one. While the server is down the silo holds the results it got, the workers lease nothing ("result store
/// unavailable", event 4302), and once it is back the sweep completes with every trial stored exactly once.
/// </summary>
public sealed class PostgresRestartTests(ClusterCertificatesFixture certificates, ITestOutputHelper output) : IClassFixture<ClusterCertificatesFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private const string WorkersPause = "Result store unavailable, retrying later";

    [Fact]
    public async Task Sweep_PostgresRestartedMidSweep_WorkersPauseAndEveryTrialStoredOnce()
    {
        var (seeds, iterations) = Environment.GetEnvironmentVariable("GRADDESCENT_CHAOS") == "long" ? (200, 1500) : (16, 1500);
        var trials = 2 * seeds;
        // Two workers of two slots lease a wave of 4 batches of 4 trials that end at about the same time. The server
        // stops once the first results are stored, with at least one more wave to run: trials still compute while it is
        // down (they are what the silo and the workers wait with), on a fast machine and a loaded one alike.
        const int Wave = 2 * 2 * 4;
        using var folder = new TempFolder();
        var spec = folder.Write("restart.yaml", Specs.SlowVectorSpread("it-pg-restart", seeds, iterations));
        await using var server = await PrivatePostgres.CreateAsync();
        var connection = server.ConnectionString;

        var cluster = ClusterEnvironment.Create(connection, certificates).Variables;
        cluster["GradDescent__Telemetry__Port"] = "0";
        cluster["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";
        cluster["GradDescent__Sweeps__LeaseDuration"] = "00:00:10";
        // A short retry budget, so an outage of seconds reaches the workers as "store unavailable" (as StoreSwitch does).
        var siloEnvironment = new Dictionary<string, string>(cluster)
        {
            ["GradDescent__Database__TransientRetryBudget"] = "00:00:02",
            ["GradDescent__Sweeps__StoreRetryAfter"] = "00:00:01",
        };
        await using var silo = CliProcess.Start(["silo"], siloEnvironment);
        await silo.WaitForStderrAsync(l => l.Contains("Dispatcher active", StringComparison.Ordinal), Generous, "saying the control plane is up");
        await using var worker0 = CliProcess.Start(["worker", "--worker-id", "restart-0", "--slots", "2"], cluster);
        await using var worker1 = CliProcess.Start(["worker", "--worker-id", "restart-1", "--slots", "2"], cluster);
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], cluster);
        var sweepId = (string)JsonNode.Parse(await submit.WaitForLineAsync(l => l.Contains("\"event\":\"submitted\"", StringComparison.Ordinal), Generous, "announcing the sweep"))!["sweep"]!;
        var storedBefore = await Polling.UntilAsync(
            async () =>
            {
                await using var store = ResultStoreFactory.Create(connection);
                var stored = (await store.GetProgressAsync(sweepId)).Stored;
                return (stored > 0, stored, $"{stored} trials stored");
            },
            Generous,
            Poll,
            seen => $"timed out waiting for the first stored trials of a sweep still running ({seen})",
            submit);

        Assert.True(storedBefore <= trials - Wave, $"{storedBefore} of {trials} trials were stored before the server could be stopped: the sweep ends too soon to stop it mid-sweep");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await server.StopAsync();
        output.WriteLine($"PostgreSQL stopped (immediate) with {storedBefore}/{trials} stored");
        await silo.WaitForStderrAsync(l => l.Contains("the result store is unavailable", StringComparison.Ordinal), Generous, "saying results wait for the store");
        await Polling.UntilAsync(
            () => Task.FromResult((worker0.Stderr.Contains(WorkersPause, StringComparison.Ordinal) || worker1.Stderr.Contains(WorkersPause, StringComparison.Ordinal), true, "no worker said so")),
            Generous,
            Poll,
            seen => $"timed out waiting for a worker to pause leasing while PostgreSQL is down ({seen})");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: silo and workers saw the outage; starting PostgreSQL");
        await server.StartAsync();
        await silo.WaitForStderrAsync(l => l.Contains("the result store is back", StringComparison.Ordinal), Generous, "saying the store is back");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: the silo hands out work again");
        var exitCode = await submit.WaitForExitAsync(Generous);

        Assert.True(exitCode == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{silo.Stderr}\nworker:\n{worker0.Stderr}");
        var finished = JsonNode.Parse(submit.Stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(("finished", "completed"), ((string?)finished["event"], (string?)finished["state"]));
        var results = await Results.ReadAsync(connection, sweepId);
        Assert.Equal(Enumerable.Range(0, trials).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.False(silo.HasExited, $"the silo exited during the outage:\n{silo.Stderr}");
        Assert.False(worker0.HasExited || worker1.HasExited, $"a worker exited during the outage:\n{worker0.Stderr}\n{worker1.Stderr}");
        Assert.DoesNotContain("CodecNotFound", silo.Stderr + worker0.Stderr + worker1.Stderr, StringComparison.Ordinal);
    }
}
