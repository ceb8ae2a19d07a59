using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// The commands about stored sweeps: sweeps named by name, delete, results as JSON or into a file, a database that does
/// not exist or cannot be reached, and bad device settings.
/// </summary>
public sealed class StoredSweepCommandsTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    private readonly TempFolder folder = new();
    private string database = string.Empty;
    private string older = string.Empty;
    private string newer = string.Empty;

    /// <summary>Two runs of one spec: two sweeps of the same name.</summary>
    public async Task InitializeAsync()
    {
        var spec = folder.Write("named.yaml", Specs.Tiny("it-named"));
        database = folder.File("named.db");
        foreach (var _ in new[] { 1, 2 })
        {
            var run = await CliProcess.RunAsync(["run", spec, "--db", database, "--no-report"], timeout: Generous);
            Assert.True(run.ExitCode == 0, run.Stderr);
        }

        await using var store = ResultStoreFactory.Create($"Data Source={database}");
        (newer, older) = (await store.ListSweepsAsync()) switch
        {
            [var first, var second] => (first.Id, second.Id),
            var other => throw new InvalidOperationException($"expected two sweeps, found {other.Count}"),
        };
    }

    public Task DisposeAsync()
    {
        folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Status_ByName_ShowsTheNewestAndListsTheOthersOnStderr()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["status", "it-named", "--db", database]);

        Assert.True(exitCode == 0, stderr);
        Assert.StartsWith($"sweep      {newer} (it-named)", stdout, StringComparison.Ordinal);
        Assert.Contains($"sweep 'it-named': the newest of 2 sweeps of that name, {newer} (completed", stderr, StringComparison.Ordinal);
        Assert.Contains($"  {older} (completed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownName_ExitsTwoNamingIt()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(["status", "it-nameless", "--db", database]);

        Assert.Equal(2, exitCode);
        Assert.Contains("no sweep has id or name 'it-nameless'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResultsJson_ByName_EveryTrialOfTheNewest()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["results", "it-named", "--db", database, "--json"]);

        Assert.True(exitCode == 0, stderr);
        var trials = JsonNode.Parse(stdout)!.AsArray();
        Assert.Equal([0L, 1L], trials.Select(t => (long)t!["trial_index"]!));
        Assert.All(trials, t => Assert.Equal("completed", (string?)t!["status"]));
        Assert.Equal(["adam", "rmsprop"], trials.Select(t => (string?)t!["parameters"]!["optimizer"]));
        Assert.All(trials, t => Assert.True(t!["metrics"]!["mse"]!.GetValue<double>() > 0));
    }

    [Theory]
    [InlineData("--csv", "trial_index,status,seed")]
    [InlineData("--json", "[")]
    [InlineData(null, "TRIAL")]
    public async Task ResultsOut_AnyFormat_WritesTheFileAndNothingOnStdout(string? format, string expectedStart)
    {
        var path = folder.File($"results-{format?.TrimStart('-') ?? "table"}.out");
        string[] arguments = ["results", older, "--db", database, "--out", path];
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(format is null ? arguments : [.. arguments, format]);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(string.Empty, stdout);
        var text = await File.ReadAllTextAsync(path);
        Assert.Contains(expectedStart, text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public async Task Delete_ByIdWithYes_RemovesThatSweepAndItsTrialsOnly()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["delete", older, "--db", database, "--yes"]);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal($"deleted sweep {older} and its 2 stored trials\n", stdout);
        await using var store = ResultStoreFactory.Create($"Data Source={database}");
        Assert.Equal([newer], (await store.ListSweepsAsync()).Select(s => s.Id));
        Assert.Empty(await store.GetStoredTrialIndexesAsync(older));
        Assert.Equal(2, (await store.GetStoredTrialIndexesAsync(newer)).Count);
    }

    [Fact]
    public async Task Delete_WithoutYesAndNoTerminal_ExitsTwoAndKeepsTheSweep()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(["delete", older, "--db", database]);

        Assert.Equal(2, exitCode);
        Assert.Contains("pass --yes", stderr, StringComparison.Ordinal);
        await using var store = ResultStoreFactory.Create($"Data Source={database}");
        Assert.NotNull(await store.GetSweepAsync(older));
    }

    [Theory]
    [InlineData("sweeps")]
    [InlineData("status", "some-sweep")]
    [InlineData("results", "some-sweep")]
    [InlineData("results", "some-sweep", "--json")]
    [InlineData("report", "some-sweep")]
    [InlineData("cancel", "some-sweep")]
    [InlineData("delete", "some-sweep", "--yes")]
    [InlineData("resume", "some-sweep")]
    public async Task StoredSweepCommand_DatabaseDoesNotExist_ExitsTwoNamingItAndCreatesNothing(params string[] command)
    {
        var missing = folder.File("missing.db");

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync([.. command, "--db", missing], workingDirectory: folder.Path);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains($"no database at {missing}", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(missing), $"{command[0]} must not create a database");
    }

    [Fact]
    public async Task Status_PostgresUnreachable_ExitsOneWithThePlainReasonAfterTheRetryBudget()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(
            ["status", "some-sweep"],
            new Dictionary<string, string>
            {
                ["GradDescent__Database__ConnectionString"] = $"Host=127.0.0.1;Port={FreePorts.Next()};Username=nobody;Database=none;Timeout=2",
                ["GradDescent__Database__TransientRetryBudget"] = "00:00:01",
            });

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("error: the result store stayed unavailable for ", stderr, StringComparison.Ordinal);
        Assert.Contains("(budget 1 s)", stderr, StringComparison.Ordinal);
        Assert.Contains("GradDescent__Database__ConnectionString (--db)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweeps_RetryBudgetNotATimeSpanRange_ExitsTwoNamingTheVariable()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(
            ["sweeps", "--db", database], new Dictionary<string, string> { ["GradDescent__Database__TransientRetryBudget"] = "-00:00:01" });

        Assert.Equal(2, exitCode);
        Assert.Contains("GradDescent__Database__TransientRetryBudget", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tpu")]
    [InlineData("cuda")]
    public async Task Run_DeviceThisMachineLacks_ExitsTwoNamingTheSettingWithoutAStackTrace(string device)
    {
        if (device == "cuda" && TorchSharp.torch.cuda.is_available())
        {
            // A CUDA machine has the device; the unknown name still covers the refusal.
            device = "cuda:4096";
        }

        var spec = folder.Write("device.yaml", Specs.Tiny("it-device"));
        var target = folder.File("device.db");

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["run", spec, "--db", target, "--device", device], timeout: Generous);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith($"error: GradDescent__Worker__Device (--device): ", stderr, StringComparison.Ordinal);
        Assert.Contains($"'{device}'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(target), "a refused device leaves no database behind");
    }
}
