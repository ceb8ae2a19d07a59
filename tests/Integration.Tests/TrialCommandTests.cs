using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary><c>graddescent trial</c> as a user runs it: a real process, its stdout and exit code.</summary>
public sealed class TrialCommandTests
{
    [Fact]
    public async Task Trial_ArticleManualGradientDescentJson_PrintsOneObjectBesideTheExactSolution()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(
            ["trial", "linear-regression", "optimizer=gd", "learning_rate=2e-5", "intercept_grad_scale=1000", "iterations=25", "init_intercept=-180", "--json"]);

        Assert.True(exitCode == 0, stderr);
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(stdout.Trim()));
        Assert.Equal("cpu", (string?)json["device"]);
        Assert.Equal(25, json["history"]!.AsArray().Count);
        var mse = (double)json["mse"]!;
        var exactMse = (double)json["exact"]!["mse"]!;
        Assert.True(mse >= exactMse, $"mse {mse} below the exact least-squares optimum {exactMse}");
        Assert.True((double)json["history"]![0]!["loss"]! > (double)json["loss"]!, "loss did not decrease");
        Assert.StartsWith("synthetic", (string?)json["data"]);
    }

    [Fact]
    public async Task Trial_VectorSpreadThreeInThePlane_ReachesOneHundredTwentyDegrees()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(
            ["trial", "vector-spread", "vectors=3", "dims=2", "method=tangential-force", "learning_rate=0.01", "iterations=400", "seed=1", "--json"]);

        Assert.True(exitCode == 0, stderr);
        var json = JsonNode.Parse(stdout.Trim())!;
        Assert.Equal(120.0, (double)json["known_optimum_deg"]!, 6);
        Assert.InRange((double)json["min_angle_deg"]!, 119.0, 120.0001);
    }

    [Fact]
    public async Task Trial_MisspelledParameter_ExitsTwoNamingIt()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["trial", "linear-regression", "lerning_rate=0.1", "--json"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("lerning_rate", stderr);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task Trial_OutOfRangeValue_ExitsTwoNamingParameterAndRange()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(["trial", "vector-spread", "vectors=1"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("'vectors'", stderr);
        Assert.Contains(">= 2", stderr);
    }

    [Fact]
    public async Task Trial_MissingDataFile_ExitsTwoNamingTheFile()
    {
        using var folder = new TempFolder();
        var missing = folder.File("no-such-heights.csv");

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["trial", "linear-regression", $"data={missing}"]);

        Assert.Equal(2, exitCode);
        Assert.Contains(missing, stderr);
    }

    [Fact]
    public async Task Trial_UnknownExperiment_ExitsTwoListingKnownOnes()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(["trial", "logistic-regression"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("linear-regression, vector-spread, adversarial", stderr);
    }
}
