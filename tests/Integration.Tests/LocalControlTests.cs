using System.Text.Json.Nodes;
using GradDescent.Abstractions.Storage;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// A local <c>run</c> controlled from another terminal: <c>cancel</c> stops it (exit code 3), <c>delete --force</c>
/// cancels and deletes it, and a run stopped by a signal or killed shows as interrupted, with the command to continue.
/// </summary>
public sealed class LocalControlTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    /// <summary>400 vector-spread trials: minutes of work, so whatever ends the run early is the command under test.</summary>
    private const int Seeds = 200;

    [Fact]
    public async Task Cancel_LocalRunInAnotherProcess_RunStopsWithExitCodeThreeKeepingStoredTrials()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("long.yaml", Specs.SlowVectorSpread("it-cancel", Seeds));
        var database = folder.File("cancel.db");
        await using var run = CliProcess.Start(["run", spec, "--db", database, "--json", "--no-report"]);
        await run.WaitForLineAsync(line => Done(line) > 0, Generous, "reporting the first stored trials");

        var cancel = await CliProcess.RunAsync(["cancel", "it-cancel", "--db", database]);
        var exitCode = await run.WaitForExitAsync(Generous);

        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        Assert.Matches(@"^sweep it-cancel-\S+ cancelled; its local run \(\S+:\d+\) stops within a second\n$", cancel.Stdout);
        Assert.Equal(3, exitCode);
        var finished = JsonNode.Parse(run.Stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(("finished", "cancelled"), ((string?)finished["event"], (string?)finished["state"]));
        Assert.Contains("cancelled: sweep it-cancel-", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("continue with: graddescent resume it-cancel-", run.Stderr, StringComparison.Ordinal);
        var sweepId = await Results.OnlySweepIdAsync($"Data Source={database}");
        var stored = (await Results.ReadAsync($"Data Source={database}", sweepId)).Count;
        Assert.InRange(stored, 1, (2 * Seeds) - 1);
        Assert.Equal((long)stored, (long)finished["completed"]! + (long)finished["diverged"]! + (long)finished["failed"]!);
        Assert.Equal(SweepStatus.Cancelled, (await ReadSweepAsync(database, sweepId)).Status);
    }

    [Fact]
    public async Task Status_RunStoppedBySigterm_InterruptedWithTheResumeCommand()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("long.yaml", Specs.SlowVectorSpread("it-sigterm", Seeds));
        var database = folder.File("sigterm.db");
        await using (var run = CliProcess.Start(["run", spec, "--db", database, "--json", "--no-report"]))
        {
            await run.WaitForLineAsync(line => Done(line) > 0, Generous, "reporting the first stored trials");
            run.Terminate();
            Assert.Equal(130, await run.WaitForExitAsync(Generous));
        }

        var status = await CliProcess.RunAsync(["status", "it-sigterm", "--db", database]);
        var sweeps = await CliProcess.RunAsync(["sweeps", "--db", database, "--json"]);

        Assert.True(status.ExitCode == 0, status.Stderr);
        var sweepId = (string)JsonNode.Parse(sweeps.Stdout)![0]!["id"]!;
        Assert.Matches($@"(?m)^status     interrupted \(the local run \S+:\d+ stopped before the end; continue with: graddescent resume {sweepId}\)$", status.Stdout);
        Assert.Equal("interrupted", (string?)JsonNode.Parse(sweeps.Stdout)![0]!["status"]);
    }

    [Fact]
    public async Task Status_RunKilledWithSigkill_InterruptedOnceItsHeartbeatIsStale()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("long.yaml", Specs.SlowVectorSpread("it-sigkill", Seeds));
        var database = folder.File("sigkill.db");
        await using (var run = CliProcess.Start(["run", spec, "--db", database, "--json", "--no-report"]))
        {
            await run.WaitForLineAsync(line => Done(line) > 0, Generous, "reporting the first stored trials");
            run.KillHard();
            await run.WaitForExitAsync(Generous);
        }

        var sweepId = await Results.OnlySweepIdAsync($"Data Source={database}");
        var killed = await ReadSweepAsync(database, sweepId);
        Assert.Equal(SweepStatus.Running, killed.Status);
        Assert.NotNull(killed.HeartbeatAt);

        // The heartbeat of a killed process is never cleared: it goes stale at a known time, and status says so from then on.
        var untilStale = killed.HeartbeatAt.Value + SweepLiveness.StaleAfter + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        if (untilStale > TimeSpan.Zero)
        {
            await Task.Delay(untilStale);
        }

        var status = await CliProcess.RunAsync(["status", sweepId, "--db", database, "--json"]);

        Assert.True(status.ExitCode == 0, status.Stderr);
        var document = JsonNode.Parse(status.Stdout)!;
        Assert.Equal(("interrupted", "running"), ((string?)document["status"], (string?)document["stored_status"]));
    }

    [Fact]
    public async Task Delete_RunningLocalSweep_RefusedWithoutForceAndCancelledThenDeletedWithIt()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("long.yaml", Specs.SlowVectorSpread("it-delete", Seeds));
        var database = folder.File("delete.db");
        await using var run = CliProcess.Start(["run", spec, "--db", database, "--json", "--no-report"]);
        await run.WaitForLineAsync(line => Done(line) > 0, Generous, "reporting the first stored trials");

        var refused = await CliProcess.RunAsync(["delete", "it-delete", "--db", database, "--yes"]);
        var forced = await CliProcess.RunAsync(["delete", "it-delete", "--db", database, "--yes", "--force"]);
        var exitCode = await run.WaitForExitAsync(Generous);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("is running (local run", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Stderr, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Matches(@"(?m)^deleted sweep it-delete-\S+ and its \d+ stored trials$", forced.Stdout);
        Assert.Equal(3, exitCode);
        await using var store = ResultStoreFactory.Create($"Data Source={database}");
        Assert.Empty(await store.ListSweepsAsync());
    }

    private static async Task<SweepRecord> ReadSweepAsync(string database, string sweepId)
    {
        await using var store = ResultStoreFactory.Create($"Data Source={database}");
        return (await store.GetSweepAsync(sweepId))!;
    }

    private static long Done(string line) =>
        line.Contains("\"event\":\"progress\"", StringComparison.Ordinal) ? (long)JsonNode.Parse(line)!["done"]! : 0;
}
