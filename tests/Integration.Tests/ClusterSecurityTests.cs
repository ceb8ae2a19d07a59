using System.Text.Json.Nodes;
using GradDescent.Abstractions.Grains;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage;
using GradDescent.Storage.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// Issue #11: a silo reachable from other machines (advertised address set) speaks mutual TLS by default. Clients with the
/// cluster's certificate work; a hand-written Orleans client without a certificate, or with one from another CA, is
/// refused before any grain call; a silo told to listen beyond loopback without TLS does not start.
/// </summary>
public sealed class ClusterSecurityTests(PostgresDatabaseFixture postgres, ClusterCertificatesFixture certificates)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<ClusterCertificatesFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ExposedSilo_RogueClientsRefusedAndCertifiedWorkerAndSubmitCompleteASweep()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("secure.yaml", Specs.SmallLinearRegression);
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        var cluster = ClusterEnvironment.Create(connection, certificates);
        var siloMetrics = FreePorts.Next();
        // Listening on every address, as on a multi-host cluster: TLS is on without saying so.
        cluster.Variables["GradDescent__Cluster__AdvertisedAddress"] = "127.0.0.1";
        cluster.Variables["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";

        await using var silo = CliProcess.Start(["silo", "--metrics-port", $"{siloMetrics}"], cluster.Variables);
        await Scrape.WaitUntilReadyAsync(siloMetrics, Generous, silo);
        await silo.WaitForStderrAsync(l => l.Contains("use TLS 1.3 with mutual authentication", StringComparison.Ordinal), Generous, "announcing TLS");

        // The client of issue #11, without a certificate: the gateway only speaks TLS and hangs up.
        using (var plain = await HandWrittenClient.ConnectAsync(cluster.GatewayPort, cluster.ClusterId, certificate: null, ConnectTimeout))
        {
            Assert.Null(plain.Host);
            Assert.Contains("terminated prematurely", plain.Refusal, StringComparison.Ordinal);
        }

        // The same client with a certificate of another CA (same subject names, made by another certs create).
        using var elsewhere = new TempFolder();
        await ClusterCertificatesFixture.CreateAsync(elsewhere.Path);
        using (var foreign = ClusterCertificatesFixture.Load(elsewhere.Path))
        using (var rogue = await HandWrittenClient.ConnectAsync(cluster.GatewayPort, cluster.ClusterId, foreign, ConnectTimeout))
        {
            Assert.Null(rogue.Host);
        }

        await silo.WaitForStderrAsync(
            l => l.Contains("Refused a cluster connection", StringComparison.Ordinal) && l.Contains("is not issued by the cluster CA", StringComparison.Ordinal),
            Generous,
            "refusing the foreign certificate");

        // The same code with the cluster's certificate gets in: the refusals above were the certificates' doing.
        using (var own = certificates.Load())
        using (var legitimate = await HandWrittenClient.ConnectAsync(cluster.GatewayPort, cluster.ClusterId, own, ConnectTimeout))
        {
            Assert.Null(legitimate.Refusal);
            Assert.Empty(await legitimate.Client.GetGrain<IDispatcherGrain>(0).GetRunningSweepsAsync());
            await legitimate.Host!.StopAsync();
        }

        await using var worker = CliProcess.Start(["worker", "--worker-id", "certified", "--slots", "1", "--metrics-port", "0"], cluster.Variables);
        var submit = await CliProcess.RunAsync(["submit", spec, "--wait", "--json", "--no-report"], cluster.Variables, timeout: Generous);

        Assert.True(submit.ExitCode == 0, $"submit failed:\n{submit.Stderr}\nsilo:\n{silo.Stderr}\nworker:\n{worker.Stderr}");
        var sweepId = (string)JsonNode.Parse(submit.Stdout.Split('\n')[0])!["sweep"]!;
        await using var store = ResultStoreFactory.Create(connection);
        Assert.Equal([sweepId], (await store.ListSweepsAsync()).Select(s => s.Id));
        var results = await Results.ReadAsync(connection, sweepId);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.All(results, r => Assert.Equal("certified", r.WorkerId));
    }

    [Fact]
    public async Task Silo_AdvertisedAddressWithTlsOff_ExitsTwoNamingTheMode()
    {
        var cluster = ClusterEnvironment.Create(await postgres.GetDatabaseConnectionStringAsync(), certificates);
        cluster.Variables["GradDescent__Cluster__AdvertisedAddress"] = "127.0.0.1";
        cluster.Variables["GradDescent__Cluster__Tls__Mode"] = "off";

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["silo", "--metrics-port", "0"], cluster.Variables, timeout: Generous);

        Assert.Equal(2, exitCode);
        Assert.Contains("error: GradDescent__Cluster__Tls__Mode: 'off' is allowed only on a silo that listens on loopback", stderr, StringComparison.Ordinal);
        Assert.Contains("GradDescent__Cluster__AdvertisedAddress is '127.0.0.1'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_AdvertisedAddressWithoutCertificates_ExitsTwoNamingEachPath()
    {
        var cluster = ClusterEnvironment.Create(await postgres.GetDatabaseConnectionStringAsync(), certificates);
        cluster.Variables["GradDescent__Cluster__AdvertisedAddress"] = "127.0.0.1";
        foreach (var key in certificates.Environment.Keys)
        {
            cluster.Variables.Remove(key);
        }

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["silo", "--metrics-port", "0"], cluster.Variables, timeout: Generous);

        Assert.Equal(2, exitCode);
        Assert.All(
            ["CertificatePath", "KeyPath", "CaPath"],
            member => Assert.Contains($"error: GradDescent__Cluster__Tls__{member}: required because this silo listens on every address", stderr, StringComparison.Ordinal));
    }
}
