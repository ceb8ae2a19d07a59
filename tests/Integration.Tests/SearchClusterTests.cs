using System.Text.Json.Nodes;
using GradDescent.Abstractions.Trials;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// An adaptive search (TPE with ASHA) submitted to a cluster (control silo, two workers fusing at most two trials,
/// PostgreSQL, mutual TLS) stores exactly what the same spec stores when run locally: proposals come from the stored
/// results alone and each trial's stopping decision from its own values, however generations are split over workers.
/// </summary>
public sealed class SearchClusterTests(PostgresDatabaseFixture postgres, ClusterCertificatesFixture certificates)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<ClusterCertificatesFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Submit_TpeAshaSweepOnTwoWorkers_StoresWhatALocalRunStores()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("tpe.yaml", SearchResumeTests.TpeAsha("it-tpe-cluster", iterations: 2000));
        var local = folder.File("local.db");
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        var environment = ClusterEnvironment.Create(connection, certificates).Variables;
        environment["GradDescent__Worker__MaxBatchTrials"] = "2";
        environment["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";
        environment["GradDescent__Telemetry__Port"] = "0";

        await using var silo = CliProcess.Start(["silo"], environment);
        await using var first = CliProcess.Start(["worker", "--worker-id", "first"], environment);
        await using var second = CliProcess.Start(["worker", "--worker-id", "second"], environment);
        await using var submit = CliProcess.Start(["submit", spec, "--wait", "--json", "--no-report"], environment);
        var sweepId = (string)JsonNode.Parse(await submit.WaitForLineAsync(l => l.Contains("\"event\":\"submitted\"", StringComparison.Ordinal), Generous, "announcing the sweep"))!["sweep"]!;
        var exitCode = await submit.WaitForExitAsync(Generous);
        var run = await CliProcess.RunAsync(["run", spec, "--db", local, "--json", "--no-report"], timeout: Generous);

        Assert.True(exitCode == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{silo.Stderr}");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var cluster = await Results.ReadAsync(connection, sweepId);
        var expected = await Results.ReadAsync($"Data Source={local}", await Results.OnlySweepIdAsync($"Data Source={local}"));
        Assert.Equal(40, cluster.Count);
        Assert.Contains(cluster, r => r.Status == TrialStatus.Pruned);
        Assert.Equal(SearchResumeTests.Describe(expected), SearchResumeTests.Describe(cluster));
    }
}
