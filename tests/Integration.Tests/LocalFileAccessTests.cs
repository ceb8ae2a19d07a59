using System.Diagnostics;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// The file gate as local mode wires it: file parameters may use the spec's folder, the working directory and the
/// configured roots (<c>run</c>, <c>validate</c>, <c>resume</c>), the working directory (<c>trial</c>); nothing else,
/// and nothing of a refused file is ever printed.
/// </summary>
public sealed class LocalFileAccessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    /// <summary>No configured roots: the command line's own (spec folder, working directory) are all there is.</summary>
    private static readonly Dictionary<string, string> NoConfiguredRoots = new() { ["GradDescent__Files__Roots__0"] = string.Empty };

    [Fact]
    public async Task Validate_DataOutsideTheRoots_ExitsTwoNamingTheParameter()
    {
        using var specs = new TempFolder();
        using var elsewhere = new TempFolder();
        var data = elsewhere.Write("heights.csv", Specs.HeightWeightCsv);
        var spec = specs.Write("outside.yaml", Specs.LinearRegressionOnData("outside", data));

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["validate", spec], NoConfiguredRoots, specs.Path);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains($"{spec}:5:", stderr, StringComparison.Ordinal);
        Assert.Contains($"parameters.data: '{data}' is outside the folders file parameters may use", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DataIsEtcPasswd_ExitsTwoQuotingNothingOfIt()
    {
        using var specs = new TempFolder();
        var spec = specs.Write("passwd.yaml", Specs.LinearRegressionOnData("passwd", "/etc/passwd"));

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["validate", spec], NoConfiguredRoots, specs.Path);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("parameters.data: '/etc/passwd'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("/bin/", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DataIsAFifoInTheSpecFolder_ExitsTwoInsteadOfWaitingForAWriter()
    {
        using var specs = new TempFolder();
        var fifo = MakeFifo(specs.File("heights.csv"));
        var spec = specs.Write("fifo.yaml", Specs.LinearRegressionOnData("fifo", fifo));

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["validate", spec], NoConfiguredRoots, specs.Path, TimeSpan.FromMinutes(2));

        Assert.Equal(2, exitCode);
        Assert.Contains($"parameters.data: '{fifo}' is not a regular file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_SpecIsAFifo_ExitsTwoInsteadOfWaitingForAWriter()
    {
        using var specs = new TempFolder();
        var fifo = MakeFifo(specs.File("spec.yaml"));

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["validate", fifo], timeout: TimeSpan.FromMinutes(2));

        Assert.Equal(2, exitCode);
        Assert.Contains($"{fifo}: is not a regular file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DataFileInTheSpecFolder_CompletesFromAnotherWorkingDirectory()
    {
        using var specs = new TempFolder();
        using var workingDirectory = new TempFolder();
        var data = specs.Write("heights.csv", Specs.HeightWeightCsv);
        var spec = specs.Write("withdata.yaml", Specs.LinearRegressionOnData("withdata", data));
        var database = workingDirectory.File("withdata.db");

        var run = await CliProcess.RunAsync(["run", spec, "--db", database, "--json"], NoConfiguredRoots, workingDirectory.Path, Generous);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var finished = JsonNode.Parse(run.Stdout.Trim().Split('\n')[^1])!;
        Assert.Equal(("completed", 2L, 2L), ((string?)finished["state"], (long)finished["completed"]!, (long)finished["total"]!));
        Assert.True(File.Exists((string?)finished["report"]), "the report is written, data scatter plot included");
        var sweepId = await Results.OnlySweepIdAsync($"Data Source={database}");
        var results = await Results.ReadAsync($"Data Source={database}", sweepId);
        Assert.All(results, r => Assert.Equal((TrialStatus.Completed, data), (r.Status, r.Parameters.GetText("data"))));
    }

    [Fact]
    public async Task Trial_DataRelativeToTheWorkingDirectory_RunsOnIt()
    {
        using var workingDirectory = new TempFolder();
        workingDirectory.Write("x.csv", Specs.HeightWeightCsv);

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(
            ["trial", "linear-regression", "data=./x.csv", "iterations=10", "--json"], NoConfiguredRoots, workingDirectory.Path, Generous);

        Assert.True(exitCode == 0, stderr);
        var result = JsonNode.Parse(stdout)!;
        Assert.Equal(("completed", workingDirectory.File("x.csv")), ((string?)result["status"], (string?)result["data"]));
    }

    [Fact]
    public async Task Resume_DataInTheStoredSpecFolder_AllowedFromAnotherWorkingDirectory()
    {
        using var specs = new TempFolder();
        using var workingDirectory = new TempFolder();
        var data = specs.Write("heights.csv", Specs.HeightWeightCsv);
        var specText = Specs.LinearRegressionOnData("resumed", data);
        var specPath = specs.Write("resumed.yaml", specText);
        var connection = $"Data Source={workingDirectory.File("resume.db")}";
        await using (var store = ResultStoreFactory.Create(connection))
        {
            // A sweep stored as a run from the spec's folder would leave it (interrupted before its first trial).
            await store.EnsureSchemaAsync();
            await store.CreateSweepAsync(new SweepRecord
            {
                Id = "resumed-1", Name = "resumed", Experiment = "linear-regression", Spec = specText, SpecFormat = "yaml",
                Status = SweepStatus.Running, TotalTrials = 2, CreatedAt = DateTimeOffset.UtcNow, SpecPath = specPath, LocalSession = "gone:1",
            });
        }

        var resume = await CliProcess.RunAsync(["resume", "resumed", "--db", "resume.db", "--json", "--no-report"], NoConfiguredRoots, workingDirectory.Path, Generous);

        Assert.True(resume.ExitCode == 0, resume.Stderr);
        Assert.Contains("sweep 'resumed' is resumed-1 (interrupted", resume.Stderr, StringComparison.Ordinal);
        var results = await Results.ReadAsync(connection, "resumed-1");
        Assert.Equal([TrialStatus.Completed, TrialStatus.Completed], results.Select(r => r.Status));
    }

    private static string MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }
}
