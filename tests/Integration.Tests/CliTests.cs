using System.Text.Json;
using GradDescent.Abstractions.Experiments;
using GradDescent.Integration.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>The command line as a user meets it: generated help, the version, exit codes and messages naming what was wrong.</summary>
public sealed class CliTests
{
    private static readonly string[] Commands =
        ["run", "resume", "submit", "silo", "worker", "validate", "migrate", "sweeps", "status", "results", "cancel", "delete", "report", "trial", "train-victim", "certs", "dashboard"];

    [Fact]
    public async Task Version_PrintsTheProductVersion()
    {
        var (exitCode, stdout, _) = await CliProcess.RunAsync(["--version"]);

        Assert.Equal(0, exitCode);
        Assert.Equal("0.2.0", stdout.Trim());
    }

    [Fact]
    public async Task Help_ListsEveryCommandAndTheGlobalOptions()
    {
        var (exitCode, stdout, _) = await CliProcess.RunAsync(["--help"]);

        Assert.Equal(0, exitCode);
        Assert.All(Commands, command => Assert.Matches($@"(?m)^\s+{command}\b", stdout));
        Assert.Contains("--db <PATH|CONNECTION>", stdout, StringComparison.Ordinal);
        Assert.Contains("--log-format <text|json>", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCommand_PrintsTheOverviewAndExitsTwo()
    {
        var (exitCode, stdout, _) = await CliProcess.RunAsync([]);

        Assert.Equal(2, exitCode);
        Assert.Contains("Commands:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerHelp_ListsItsFlagsWithTheDefaultMetricsPort()
    {
        var (exitCode, stdout, _) = await CliProcess.RunAsync(["worker", "--help"]);

        Assert.Equal(0, exitCode);
        Assert.All(["--pool", "--device", "--slots", "--worker-id", "--metrics-port"], flag => Assert.Contains(flag, stdout, StringComparison.Ordinal));
        Assert.Contains("default 9465", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrialHelp_ListsEveryParameterWithTypeRangeAndDefault()
    {
        var (exitCode, stdout, _) = await CliProcess.RunAsync(["trial", "vector-spread", "--help"]);

        Assert.Equal(0, exitCode);
        foreach (var parameter in VectorSpreadDefinition.Instance.Parameters)
        {
            var line = Assert.Single(stdout.Split('\n'), l => l.TrimStart().StartsWith(parameter.Name + " ", StringComparison.Ordinal));
            var described = line + string.Concat(stdout.Split('\n').SkipWhile(l => l != line).Skip(1).Take(1));
            Assert.Contains(
                parameter.DependentDefault is not null ? $"otherwise {parameter.Default ?? "none"}"
                    : parameter.Default is { } value ? $"default {value}" : parameter.Required ? "required" : "optional",
                described,
                StringComparison.Ordinal);
            Assert.Contains(parameter.Description, described, StringComparison.Ordinal);
        }

        Assert.Contains("integer >= 2", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_ExitsTwoNamingIt()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["sweeps", "--bogus"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--bogus", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task SlotsNotANumber_ExitsTwoNamingTheOptionAndWritesNothing()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("small.yaml", Specs.SmallLinearRegression);
        var database = folder.File("never.db");

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["run", spec, "--db", database, "--slots", "many"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--slots", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(database));
    }

    [Fact]
    public async Task SlotsOutOfRange_ExitsTwoNamingTheSettingAndFlag()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("small.yaml", Specs.SmallLinearRegression);
        var database = folder.File("never.db");

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["run", spec, "--db", database, "--slots", "0"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("GradDescent__Worker__Slots (--slots)", stderr, StringComparison.Ordinal);
        Assert.Contains("between 1 and 256", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(database), "a rejected setting must leave no database behind");
    }

    [Fact]
    public async Task SettingFromEnvironmentNotANumber_ExitsTwoNamingTheVariable()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(
            ["validate", "no-such.yaml"], new Dictionary<string, string> { ["GradDescent__Sweeps__MaxTrials"] = "lots" });

        Assert.Equal(2, exitCode);
        Assert.Contains("GradDescent__Sweeps__MaxTrials (--max-trials)", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("linear-regression", "", true)]
    [InlineData("adversarial", "  image: cat.png\n", true)]
    [InlineData("adversarial", "", false)]
    [InlineData("vector-spread", "", false)]
    public async Task Validate_RepeatsOfSeedlessTrials_WarnsAndStillSucceeds(string experiment, string parameters, bool warns)
    {
        using var folder = new TempFolder();
        if (parameters.Length > 0)
        {
            File.WriteAllBytes(folder.File("cat.png"), [0x89, 0x50, 0x4e, 0x47]);
        }

        // File parameters resolve against the working directory, so the image is named by its full path (in the spec's folder).
        parameters = parameters.Replace("cat.png", folder.File("cat.png"), StringComparison.Ordinal);
        var spec = folder.File("repeats.yaml");
        File.WriteAllText(spec, $"name: repeats\nexperiment: {experiment}\n{(parameters.Length > 0 ? $"parameters:\n{parameters}" : string.Empty)}repeats: 3\n");

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["validate", spec]);

        Assert.Equal(0, exitCode);
        Assert.Contains("valid", stdout, StringComparison.Ordinal);
        if (warns)
        {
            Assert.Contains($"warning: repeats: 3, but {experiment} does not use the seed here", stderr, StringComparison.Ordinal);
            Assert.Contains("(set repeats: 1)", stderr, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("warning", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LogFormatUnknown_ExitsTwoNamingTheAllowedValues()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(["sweeps", "--log-format", "xml"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("xml", stderr, StringComparison.Ordinal);
        Assert.Contains("json", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_MissingSqliteDatabase_ExitsTwoAndCreatesNoFile()
    {
        using var folder = new TempFolder();
        var database = folder.File("missing.db");

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["status", "some-sweep", "--db", database]);

        Assert.Equal(2, exitCode);
        Assert.Contains(database, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(database), "a read-only command must not create a database");
    }

    [Theory]
    [InlineData("flag")]
    [InlineData("environment")]
    public async Task LogFormatJson_EveryStderrLineIsOneJsonObject(string source)
    {
        using var folder = new TempFolder();
        var spec = folder.Write("small.yaml", Specs.SmallLinearRegression);
        string[] arguments = ["run", spec, "--db", folder.File("json-logs.db"), "--json", "--no-report", "--verbose"];
        var environment = new Dictionary<string, string>();
        if (source == "flag")
        {
            arguments = [.. arguments, "--log-format", "json"];
        }
        else
        {
            environment["GradDescent__Logging__Format"] = "json";
        }

        var (exitCode, _, stderr) = await CliProcess.RunAsync(arguments, environment, timeout: TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var events = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(events, e => Assert.Equal(JsonValueKind.Object, e.ValueKind));
        Assert.Contains(events, e => e.GetProperty("EventId").GetInt32() == 4201 && e.GetProperty("Category").GetString() == "GradDescent.Workers.Runtime.WorkerHost");
    }
}
