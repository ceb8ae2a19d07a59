using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// The commands about stored sweeps: sweeps named by name, delete, results as JSON or into a file, a database that does
/// not exist or cannot be reached, and bad device settings.
/// </summary>
public sealed class StoredSweepCommandsTests(StoredSweepCommandsTests.TwoNamedSweeps sweeps) : IClassFixture<StoredSweepCommandsTests.TwoNamedSweeps>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    private string Database => sweeps.Database;

    private string Older => sweeps.Older;

    private string Newer => sweeps.Newer;

    [Fact]
    public async Task Status_ByName_ShowsTheNewestAndListsTheOthersOnStderr()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["status", "it-named", "--db", Database]);

        Assert.True(exitCode == 0, stderr);
        Assert.StartsWith($"sweep      {Newer} (it-named)", stdout, StringComparison.Ordinal);
        Assert.Contains($"sweep 'it-named': the newest of 2 sweeps of that name, {Newer} (completed", stderr, StringComparison.Ordinal);
        Assert.Contains($"  {Older} (completed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownName_ExitsTwoNamingIt()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(["status", "it-nameless", "--db", Database]);

        Assert.Equal(2, exitCode);
        Assert.Contains("no sweep has id or name 'it-nameless'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResultsJson_ByName_EveryTrialOfTheNewest()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["results", "it-named", "--db", Database, "--json"]);

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
        var path = sweeps.Folder.File($"results-{format?.TrimStart('-') ?? "table"}.out");
        string[] arguments = ["results", Older, "--db", Database, "--out", path];
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(format is null ? arguments : [.. arguments, format]);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(string.Empty, stdout);
        var text = await File.ReadAllTextAsync(path);
        Assert.Contains(expectedStart, text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(sweeps.Folder.Path, "*.tmp"));
    }

    [Fact]
    public async Task Delete_ByIdWithYes_RemovesThatSweepAndItsTrialsOnly()
    {
        using var folder = new TempFolder();
        var database = sweeps.CopyTo(folder);

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["delete", Older, "--db", Database, "--yes"]);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal($"deleted sweep {Older} and its 2 stored trials\n", stdout);
        await using var store = ResultStoreFactory.Create($"Data Source={database}");
        Assert.Equal([Newer], (await store.ListSweepsAsync()).Select(s => s.Id));
        Assert.Empty(await store.GetStoredTrialIndexesAsync(Older));
        Assert.Equal(2, (await store.GetStoredTrialIndexesAsync(Newer)).Count);
    }

    [Fact]
    public async Task Delete_WithoutYesAndNoTerminal_ExitsTwoAndKeepsTheSweep()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(["delete", Older, "--db", Database]);

        Assert.Equal(2, exitCode);
        Assert.Contains("pass --yes", stderr, StringComparison.Ordinal);
        await using var store = ResultStoreFactory.Create($"Data Source={Database}");
        Assert.NotNull(await store.GetSweepAsync(Older));
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
        using var folder = new TempFolder();
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
        Assert.Contains("\nerror: the result store stayed unavailable for ", stderr, StringComparison.Ordinal);
        Assert.Contains("(budget 1 s)", stderr, StringComparison.Ordinal);
        Assert.Contains("GradDescent__Database__ConnectionString (--db)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweeps_RetryBudgetNotATimeSpanRange_ExitsTwoNamingTheVariable()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(
            ["sweeps", "--db", Database], new Dictionary<string, string> { ["GradDescent__Database__TransientRetryBudget"] = "-00:00:01" });

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

        using var folder = new TempFolder();
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

    /// <summary>Two runs of one spec: two sweeps of the same name, in one database the tests share (and copy to change).</summary>
    public sealed class TwoNamedSweeps : IAsyncLifetime
    {
        public TempFolder Folder { get; } = new();

        public string Database => Folder.File("named.db");

        public string Older { get; private set; } = string.Empty;

        public string Newer { get; private set; } = string.Empty;

        public async Task InitializeAsync()
        {
            var spec = Folder.Write("named.yaml", Specs.Tiny("it-named"));
            foreach (var _ in new[] { 1, 2 })
            {
                var run = await CliProcess.RunAsync(["run", spec, "--db", Database, "--no-report"], timeout: Generous);
                Assert.True(run.ExitCode == 0, run.Stderr);
            }

            await using var store = ResultStoreFactory.Create($"Data Source={Database}");
            (Newer, Older) = (await store.ListSweepsAsync()) switch
            {
                [var first, var second] => (first.Id, second.Id),
                var other => throw new InvalidOperationException($"expected two sweeps, found {other.Count}"),
            };
        }

        /// <summary>A copy of the database (with its write-ahead log, if any) in <paramref name="folder"/>.</summary>
        public string CopyTo(TempFolder folder)
        {
            ArgumentNullException.ThrowIfNull(folder);
            var copy = folder.File("named.db");
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                if (File.Exists(Database + suffix))
                {
                    File.Copy(Database + suffix, copy + suffix);
                }
            }

            return copy;
        }

        public Task DisposeAsync()
        {
            Folder.Dispose();
            return Task.CompletedTask;
        }
    }
}
