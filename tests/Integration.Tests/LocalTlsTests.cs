using System.Text.Json.Nodes;
using GradDescent.Integration.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// Local mode and cluster TLS: without certificates it runs as before (loopback only, no TLS); with the cluster's
/// certificates in the environment its silo uses them; <c>Mode=required</c> without them exits 2 before writing anything.
/// </summary>
public sealed class LocalTlsTests(ClusterCertificatesFixture certificates) : IClassFixture<ClusterCertificatesFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Run_TlsRequiredWithoutCertificates_ExitsTwoNamingThePathsAndWritesNothing()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("small.yaml", Specs.SmallLinearRegression);
        var database = folder.File("never.db");

        var (exitCode, _, stderr) = await CliProcess.RunAsync(
            ["run", spec, "--db", database], new Dictionary<string, string> { ["GradDescent__Cluster__Tls__Mode"] = "required" });

        Assert.Equal(2, exitCode);
        Assert.Contains("error: GradDescent__Cluster__Tls__CertificatePath: required because GradDescent__Cluster__Tls__Mode is 'required'", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(database), "a rejected setting must leave no database behind");
    }

    [Fact]
    public async Task Run_WithClusterCertificates_CompletesWithTlsOnItsSilo()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("small.yaml", Specs.SmallLinearRegression);

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(
            ["run", spec, "--db", folder.File("tls.db"), "--json", "--no-report", "--verbose"], certificates.Environment, timeout: Generous);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("Cluster connections use TLS 1.3 with mutual authentication", stderr, StringComparison.Ordinal);
        Assert.Equal("completed", (string?)JsonNode.Parse(stdout.Trim().Split('\n')[^1])!["state"]);
    }
}
