using System.Text.Json.Nodes;
using GradDescent.Abstractions.Trials;
using GradDescent.Integration.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>Local mode end to end: validate, run, status, results and resume after a hard kill.</summary>
public sealed class LocalSweepTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Validate_InvalidSpec_ExitsTwoWithKeyAndLineAndRunWritesNothing()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("bad.yaml", """
            name: bad
            experiment: linear-regression
            grid:
              optimizer: [adam, adamm]
            """);
        var database = folder.File("bad.db");

        var validate = await CliProcess.RunAsync(["validate", spec]);
        var run = await CliProcess.RunAsync(["run", spec, "--db", database]);

        Assert.Equal(2, validate.ExitCode);
        Assert.Contains($"{spec}:4:", validate.Stderr);
        Assert.Contains("grid.optimizer", validate.Stderr);
        Assert.Contains("adamm", validate.Stderr);
        Assert.Equal(2, run.ExitCode);
        Assert.False(File.Exists(database), "a rejected spec must leave no database behind");
    }

    [Fact]
    public async Task Run_SmallSweep_StoresEveryTrialOnceAndReportsThem()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("small.yaml", Specs.SmallLinearRegression);
        var database = folder.File("small.db");

        var validate = await CliProcess.RunAsync(["validate", spec]);
        var run = await CliProcess.RunAsync(["run", spec, "--db", database, "--json", "--no-report"], timeout: Generous);

        Assert.Equal(0, validate.ExitCode);
        Assert.Contains("12 trials", validate.Stdout);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var finished = JsonNode.Parse(run.Stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(("finished", "completed", 12L), ((string?)finished["event"], (string?)finished["state"], (long)finished["total"]!));

        var connection = $"Data Source={database}";
        var sweepId = await Results.OnlySweepIdAsync(connection);
        var results = await Results.ReadAsync(connection, sweepId);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.All(results, r => Assert.Equal(TrialStatus.Completed, r.Status));
        Assert.Equal(new[] { 0, 1 }, results.Select(r => r.Seed).Distinct().Order());

        var status = await CliProcess.RunAsync(["status", sweepId, "--db", database, "--json"]);
        var csv = await CliProcess.RunAsync(["results", sweepId, "--db", database, "--csv"]);
        Assert.Equal("completed", (string?)JsonNode.Parse(status.Stdout)!["status"]);
        var lines = csv.Stdout.Trim().Split('\n');
        Assert.Equal(13, lines.Length);
        Assert.StartsWith("trial_index,status,seed", lines[0]);
    }

    [Fact]
    public async Task Resume_AfterKillDashNine_FinishesWithoutRerunningStoredTrials()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("slow.yaml", Specs.SlowVectorSpread("it-resume", seeds: 8));
        var database = folder.File("slow.db");
        var connection = $"Data Source={database}";

        await using (var first = CliProcess.Start(["run", spec, "--db", database, "--json", "--no-report"]))
        {
            await first.WaitForLineAsync(
                line => line.Contains("\"event\":\"progress\"", StringComparison.Ordinal) && Done(line) > 0,
                Generous,
                "reporting the first stored trials");
            first.KillHard();
            await first.WaitForExitAsync(Generous);
        }

        var sweepId = await Results.OnlySweepIdAsync(connection);
        var before = (await Results.ReadAsync(connection, sweepId)).ToDictionary(r => r.Index);
        Assert.InRange(before.Count, 1, 15);

        await Results.WaitUntilInterruptedAsync(sweepId, database, Generous);
        var resume = await CliProcess.RunAsync(["resume", sweepId, "--db", database, "--json", "--no-report"], timeout: Generous);

        Assert.True(resume.ExitCode == 0, resume.Stderr);
        var after = await Results.ReadAsync(connection, sweepId);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long)i), after.Select(r => r.Index).Order());
        foreach (var (index, earlier) in before)
        {
            var later = after.Single(r => r.Index == index);
            Assert.Equal(earlier.FinishedAt, later.FinishedAt);
            Assert.Equal(earlier.Metrics, later.Metrics);
        }
    }

    private static long Done(string progressLine) => (long)JsonNode.Parse(progressLine)!["done"]!;
}
