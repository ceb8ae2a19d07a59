using System.Net;
using System.Net.Sockets;
using GradDescent.Grains.Extensions;
using GradDescent.Hosting.Orleans;
using GradDescent.Silo.Cli;
using GradDescent.Storage.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradDescent.Dashboard.Tests.Infrastructure;

/// <summary>A real control silo of a PostgreSQL cluster (as <c>graddescent silo</c> runs it), in the test process, with no worker.</summary>
public sealed class ClusterSilo : IAsyncDisposable
{
    private readonly IHost host;

    private ClusterSilo(IHost host, string clusterId)
    {
        this.host = host;
        ClusterId = clusterId;
    }

    public string ClusterId { get; }

    /// <summary>The settings a client (the dashboard) needs to join this cluster.</summary>
    public IReadOnlyDictionary<string, string?> ClientSettings => new Dictionary<string, string?>
    {
        ["GradDescent:Cluster:ClusterId"] = ClusterId,
        ["GradDescent:Cluster:ServiceId"] = ClusterId,
    };

    public static async Task<ClusterSilo> StartAsync(string connectionString)
    {
        var clusterId = $"dash-{Guid.NewGuid():N}"[..20];
        var builder = CliHost.CreateBuilder(
            new Dictionary<string, string?>
            {
                ["GradDescent:Database:ConnectionString"] = connectionString,
                ["GradDescent:Cluster:ClusterId"] = clusterId,
                ["GradDescent:Cluster:ServiceId"] = clusterId,
                ["GradDescent:Cluster:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["GradDescent:Cluster:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            new Dictionary<string, string?>(),
            LogLevel.Warning);

        // As `graddescent silo` composes it, without the metrics endpoint.
        builder.Services.AddGradDescentStorage().AddGradDescentStoreSchemaAtStart();
        builder.AddGradDescentClusterSilo();
        builder.Services.AddGradDescentControlPlane(resumeRunningSweepsAtStart: true);
        var host = builder.Build();
        await host.StartAsync();
        return new ClusterSilo(host, clusterId);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(stopping.Token);
        host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
