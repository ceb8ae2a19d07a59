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
        var database = folder.File("cancel.db");
        await using var run = await StartLongRunAsync(folder, "it-cancel", database);

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
    public async Task PauseThenResume_LocalRunInAnotherProcess_NoNewTrialsWhilePausedThenItGoesOn()
    {
        using var folder = new TempFolder();
        var database = folder.File("pause.db");
        await using var run = await StartLongRunAsync(folder, "it-pause", database);

        var pause = await CliProcess.RunAsync(["pause", "it-pause", "--db", database]);
        Assert.True(pause.ExitCode == 0, pause.Stderr);
        Assert.Matches(@"^sweep it-pause-\S+ paused; its local run \(\S+:\d+\) hands out no new trials within a second", pause.Stdout);

        // Trials already leased finish; then the count stands still: two paused progress lines in a row with one count.
        long? previous = null;
        var stable = await run.WaitForLineAsync(
            line =>
            {
                if (State(line) != "paused")
                {
                    return false;
                }

                var same = previous == Done(line);
                previous = Done(line);
                return same;
            },
            Generous,
            "two paused progress lines with the same count of stored trials");
        var status = await CliProcess.RunAsync(["status", "it-pause", "--db", database, "--json"]);
        Assert.Equal("paused", (string?)JsonNode.Parse(status.Stdout)!["status"]);

        var resume = await CliProcess.RunAsync(["resume", "it-pause", "--db", database]);
        Assert.True(resume.ExitCode == 0, resume.Stderr);
        Assert.Matches(@"^sweep it-pause-\S+ resumed; its local run \(\S+:\d+\) hands out trials again within a second", resume.Stdout);
        await run.WaitForLineAsync(line => State(line) == "running" && Done(line) > Done(stable), Generous, "storing trials again after resume");

        var cancel = await CliProcess.RunAsync(["cancel", "it-pause", "--db", database]);
        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        Assert.Equal(3, await run.WaitForExitAsync(Generous));
    }

    [Fact]
    public async Task Pause_InterruptedLocalSweep_ExitsTwoSayingThereIsNoRunToPause()
    {
        using var folder = new TempFolder();
        var database = folder.File("gone.db");
        await KillAfterFirstTrialsAsync(folder, "it-pause-gone", database);

        var pause = await CliProcess.RunAsync(["pause", "it-pause-gone", "--db", database]);

        Assert.Equal(2, pause.ExitCode);
        Assert.Contains("has no local run to pause: interrupted (graddescent resume it-pause-gone-", pause.Stderr, StringComparison.Ordinal);
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
    public async Task Status_RunKilledWithSigkill_InterruptedAtOnceThoughItsHeartbeatIsFresh()
    {
        using var folder = new TempFolder();
        var database = folder.File("sigkill.db");
        await KillAfterFirstTrialsAsync(folder, "it-sigkill", database);

        var sweepId = await Results.OnlySweepIdAsync($"Data Source={database}");
        var killed = await ReadSweepAsync(database, sweepId);
        Assert.Equal(SweepStatus.Running, killed.Status);
        Assert.True(killed.Liveness.IsLocalRunAlive(DateTimeOffset.UtcNow), "a kill -9 leaves the heartbeat fresh; the pid tells the run is gone");

        var status = await CliProcess.RunAsync(["status", sweepId, "--db", database, "--json"]);

        Assert.True(status.ExitCode == 0, status.Stderr);
        var document = JsonNode.Parse(status.Stdout)!;
        Assert.Equal(("interrupted", "running"), ((string?)document["status"], (string?)document["stored_status"]));
    }

    [Fact]
    public async Task Resume_SweepItsLocalRunIsStillRunning_ExitsTwoNamingThatRunWhichGoesOn()
    {
        using var folder = new TempFolder();
        var database = folder.File("busy.db");
        await using var run = await StartLongRunAsync(folder, "it-busy", database);

        var resume = await CliProcess.RunAsync(["resume", "it-busy", "--db", database, "--no-report"], timeout: Generous);
        var status = await CliProcess.RunAsync(["status", "it-busy", "--db", database, "--json"]);

        Assert.Equal(2, resume.ExitCode);
        Assert.Contains($"is being run by {Environment.MachineName}:{run.Id} (last heartbeat", resume.Stderr, StringComparison.Ordinal);
        Assert.Contains("stop that run first", resume.Stderr, StringComparison.Ordinal);
        Assert.False(run.HasExited, "the refused resume must leave the running run alone");
        Assert.Equal("running", (string?)JsonNode.Parse(status.Stdout)!["status"]);
    }

    [Fact]
    public async Task Status_SessionPidIsAnotherProgram_Interrupted()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("tiny.yaml", Specs.Tiny("it-pid-reused"));
        var database = folder.File("reused.db");
        var first = await CliProcess.RunAsync(["run", spec, "--db", database, "--no-report"], timeout: Generous);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var sweepId = await Results.OnlySweepIdAsync($"Data Source={database}");
        await using var other = CliProcess.StartProgram("sleep", ["300"]);
        await using (var store = ResultStoreFactory.Create($"Data Source={database}"))
        {
            // As if a run had written its heartbeat just now and its pid were since taken by an unrelated program.
            await store.SetSweepStatusAsync(sweepId, SweepStatus.Running);
            Assert.True(await store.SetSweepHeartbeatAsync(sweepId, $"{Environment.MachineName}:{other.Id}"));
        }

        var status = await CliProcess.RunAsync(["status", sweepId, "--db", database, "--json"]);

        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Equal("interrupted", (string?)JsonNode.Parse(status.Stdout)!["status"]);
    }

    [Fact]
    public async Task Delete_RunningLocalSweep_RefusedWithoutForceAndCancelledThenDeletedWithIt()
    {
        using var folder = new TempFolder();
        var database = folder.File("delete.db");
        await using var run = await StartLongRunAsync(folder, "it-delete", database);

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

    /// <summary>A local run of <see cref="Seeds"/> slow trials into <paramref name="database"/>, once it stored its first trials.</summary>
    private static async Task<CliProcess> StartLongRunAsync(TempFolder folder, string name, string database)
    {
        var spec = folder.Write("long.yaml", Specs.SlowVectorSpread(name, Seeds));
        var run = CliProcess.Start(["run", spec, "--db", database, "--json", "--no-report"]);
        await run.WaitForLineAsync(line => Done(line) > 0, Generous, "reporting the first stored trials");
        return run;
    }

    /// <summary>Starts a long run and kills it with SIGKILL (no clean-up) once it stored its first trials.</summary>
    private static async Task KillAfterFirstTrialsAsync(TempFolder folder, string name, string database)
    {
        await using var run = await StartLongRunAsync(folder, name, database);
        run.KillHard();
        await run.WaitForExitAsync(Generous);
    }

    private static async Task<SweepRecord> ReadSweepAsync(string database, string sweepId)
    {
        await using var store = ResultStoreFactory.Create($"Data Source={database}");
        return (await store.GetSweepAsync(sweepId))!;
    }

    private static long Done(string line) =>
        line.Contains("\"event\":\"progress\"", StringComparison.Ordinal) ? (long)JsonNode.Parse(line)!["done"]! : 0;

    private static string? State(string line) =>
        line.Contains("\"event\":\"progress\"", StringComparison.Ordinal) ? (string?)JsonNode.Parse(line)!["state"] : null;
}
