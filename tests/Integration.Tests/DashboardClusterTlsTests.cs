using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GradDescent.Dashboard.Tests.Infrastructure;
using GradDescent.Integration.Tests.Infrastructure;
using GradDescent.Storage.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary>
/// <c>graddescent dashboard</c> as its own process in a PostgreSQL cluster with mutual TLS required
/// (<c>GradDescent__Cluster__Tls__*</c>, as the Kubernetes manifests set it): it joins through the TLS gateway, reports the
/// silo ready, and a sweep launched through its API runs on the cluster's worker. Without its certificates it exits 2.
/// </summary>
public sealed class DashboardClusterTlsTests(PostgresDatabaseFixture postgres, ClusterCertificatesFixture certificates)
    : IClassFixture<PostgresDatabaseFixture>, IClassFixture<ClusterCertificatesFixture>
{
    private const string Key = "it-dashboard-tls-key-0123456789";

    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Dashboard_ClusterWithTlsRequired_JoinsOverTlsAndLaunchesASweepTheWorkerCompletes()
    {
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        var cluster = ClusterEnvironment.Create(connection, certificates);
        cluster.Variables["GradDescent__Cluster__Tls__Mode"] = "required";
        cluster.Variables["GradDescent__Worker__IdlePollInterval"] = "00:00:00.100";
        var siloMetrics = FreePorts.Next();
        var port = FreePorts.Next();
        var dashboardVariables = new Dictionary<string, string>(cluster.Variables) { ["GradDescent__Dashboard__ApiKeys__0"] = Key };

        await using var silo = CliProcess.Start(["silo", "--metrics-port", $"{siloMetrics}"], cluster.Variables);
        await Scrape.WaitUntilReadyAsync(siloMetrics, Generous, silo);
        await using var worker = CliProcess.Start(["worker", "--worker-id", "tls-worker", "--slots", "1", "--metrics-port", "0"], cluster.Variables);
        await using var dashboard = CliProcess.Start(["dashboard", "--urls", $"http://127.0.0.1:{port}"], dashboardVariables);
        await Scrape.WaitUntilReadyAsync(port, Generous, dashboard);
        var (readyStatus, ready) = await Scrape.ReadyzAsync(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(1) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        var launched = await http.PostAsync("/api/sweeps", new StringContent(Specs.SmallLinearRegression, Encoding.UTF8, "application/yaml"));
        Assert.True(launched.StatusCode == HttpStatusCode.Created, $"{launched.StatusCode}: {await launched.Content.ReadAsStringAsync()}\ndashboard:\n{dashboard.Stderr}");
        var id = (await launched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var status = await Events.WaitForEndAsync(http, id, Generous);
        var sweep = await http.GetFromJsonAsync<JsonElement>($"/api/sweeps/{id}");
        var results = await Results.ReadAsync(connection, id);

        Assert.Contains("Cluster connections use TLS 1.3 with mutual authentication", dashboard.Stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("ok", (string?)ready["checks"]!["silo"]);
        Assert.True(status == "completed", $"sweep ended {status}\nsilo:\n{silo.Stderr}\nworker:\n{worker.Stderr}\ndashboard:\n{dashboard.Stderr}");
        Assert.Equal(12, sweep.GetProperty("done").GetInt64());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.All(results, r => Assert.Equal("tls-worker", r.WorkerId));
    }

    [Fact]
    public async Task Dashboard_TlsRequiredWithoutCertificates_ExitsTwoNamingThePath()
    {
        var connection = await postgres.GetDatabaseConnectionStringAsync();
        var variables = new Dictionary<string, string>
        {
            ["GradDescent__Database__ConnectionString"] = connection,
            ["GradDescent__Cluster__Tls__Mode"] = "required",
        };

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["dashboard", "--urls", $"http://127.0.0.1:{FreePorts.Next()}"], variables);

        Assert.Equal(2, exitCode);
        Assert.Contains("error: GradDescent__Cluster__Tls__CertificatePath: required because GradDescent__Cluster__Tls__Mode is 'required'", stderr, StringComparison.Ordinal);
    }
}
