using System.Text.Json.Nodes;
using GradDescent.Abstractions.Storage;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using GradDescent.Storage.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// Cluster mode when the control silo goes away: <c>submit --wait</c> follows its sweep through a silo killed with
/// SIGKILL and started again, and <c>cancel</c> with no silo running changes the store at once instead of waiting.
/// </summary>
public sealed class ClusterControlTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task SubmitWait_SiloKilledAndRestartedMidSweep_ExitsZeroWhenTheSweepCompletes()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("restart.yaml", Specs.SlowVectorSpread("it-restart", seeds: 12));
        var environment = await ClusterEnvironmentAsync();
        var connection = environment["GradDescent__Database__ConnectionString"];

        var silo = CliProcess.Start(["silo"], environment);
        await using var worker = CliProcess.Start(["worker", "--worker-id", "restart-worker"], environment);
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], environment);
        var sweepId = (string)JsonNode.Parse(await submit.WaitForLineAsync(l => l.Contains("\"event\":\"submitted\"", StringComparison.Ordinal), Generous, "announcing the sweep"))!["sweep"]!;
        await submit.WaitForLineAsync(line => Done(line) > 0, Generous, "reporting the first stored trials");

        silo.KillHard();
        await silo.DisposeAsync();
        await submit.WaitForStderrAsync(line => line.Contains("the control silo does not answer", StringComparison.Ordinal), Generous, "noticing the silo is gone");
        await using var restarted = CliProcess.Start(["silo"], environment);
        var exitCode = await submit.WaitForExitAsync(Generous);

        Assert.True(exitCode == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{restarted.Stderr}");
        var finished = JsonNode.Parse(submit.Stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(("finished", "completed", 24L), ((string?)finished["event"], (string?)finished["state"], (long)finished["completed"]!));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (long)i), (await Results.ReadAsync(connection, sweepId)).Select(r => r.Index).Order());
    }

    [Fact]
    public async Task Cancel_NoSiloRunning_SetsTheStoredStatusAndSaysSo()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("orphan.yaml", Specs.Tiny("it-orphan"));
        var environment = await ClusterEnvironmentAsync();
        var connection = environment["GradDescent__Database__ConnectionString"];
        string sweepId;
        await using (var silo = CliProcess.Start(["silo"], environment))
        {
            // No worker: the sweep stays running in the silo, which is then killed without a goodbye.
            var submit = await CliProcess.RunAsync(["submit", spec, "--json"], environment, timeout: Generous);
            Assert.True(submit.ExitCode == 0, submit.Stderr);
            sweepId = (string)JsonNode.Parse(submit.Stdout)!["sweep"]!;
            silo.KillHard();
            await silo.WaitForExitAsync(Generous);
        }

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["cancel", "it-orphan"], environment);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal($"sweep {sweepId} cancelled in the store: no control silo is running (none accepts connections), and one started later does not resume it\n", stdout);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        await using var store = ResultStoreFactory.Create(connection);
        Assert.Equal(SweepStatus.Cancelled, (await store.GetSweepAsync(sweepId))!.Status);
    }

    private async Task<Dictionary<string, string>> ClusterEnvironmentAsync() => new()
    {
        ["GradDescent__Database__ConnectionString"] = await postgres.GetDatabaseConnectionStringAsync(),
        ["GradDescent__Cluster__ClusterId"] = $"it-{Guid.NewGuid():N}",
        ["GradDescent__Cluster__SiloPort"] = FreePorts.NextText(),
        ["GradDescent__Cluster__GatewayPort"] = FreePorts.NextText(),
        ["GradDescent__Sweeps__LeaseDuration"] = "00:00:04",
        ["GradDescent__Worker__MaxBatchTrials"] = "4",
        ["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100",
        ["GradDescent__Telemetry__Port"] = "0",
    };

    private static long Done(string line) =>
        line.Contains("\"event\":\"progress\"", StringComparison.Ordinal) ? (long)JsonNode.Parse(line)!["done"]! : 0;
}
