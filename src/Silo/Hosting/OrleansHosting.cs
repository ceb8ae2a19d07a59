using System.Net;
using System.Net.Sockets;
using GradDescent.Storage;
using GradDescent.Workers.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using OrleansClusterOptions = Orleans.Configuration.ClusterOptions;

namespace GradDescent.Silo.Hosting;

/// <summary>Silo, client and worker wiring for the local and cluster modes.</summary>
public static class OrleansHosting
{
    private const string NpgsqlInvariant = "Npgsql";

    /// <summary>Local mode: one silo on free loopback ports, localhost clustering, the control-plane grains.</summary>
    public static HostApplicationBuilder AddLocalSilo(this HostApplicationBuilder builder, IResultStore store)
    {
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        builder.Services.AddSingleton(store);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "graddescent-local", clusterId: $"local-{Environment.ProcessId}");
        });
        return builder;
    }

    /// <summary>Cluster mode control silo: membership in PostgreSQL (ADO.NET clustering).</summary>
    public static HostApplicationBuilder AddClusterSilo(this HostApplicationBuilder builder, IResultStore store)
    {
        var cluster = builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        var clustering = ClusteringConnectionString(builder.Configuration, cluster);
        builder.Services.AddSingleton(store);
        builder.UseOrleans(silo =>
        {
            silo.Configure<OrleansClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.ConfigureEndpoints(
                string.IsNullOrWhiteSpace(cluster.AdvertisedAddress) ? IPAddress.Loopback : IPAddress.Parse(cluster.AdvertisedAddress),
                cluster.SiloPort,
                cluster.GatewayPort,
                listenOnAnyHostAddress: !string.IsNullOrWhiteSpace(cluster.AdvertisedAddress));
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = NpgsqlInvariant;
                o.ConnectionString = clustering;
            });
        });

        // After UseOrleans: hosted services start in order, and this one calls a grain.
        builder.Services.AddHostedService<ControlPlaneStartup>();
        return builder;
    }

    /// <summary>Cluster mode client (workers, submit): finds gateways through the PostgreSQL membership table.</summary>
    public static HostApplicationBuilder AddClusterClient(this HostApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        var clustering = ClusteringConnectionString(builder.Configuration, cluster);
        builder.UseOrleansClient(client =>
        {
            client.Configure<OrleansClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = NpgsqlInvariant;
                o.ConnectionString = clustering;
            });
        });
        return builder;
    }

    /// <summary>The worker loop and the experiments it runs.</summary>
    public static HostApplicationBuilder AddWorker(this HostApplicationBuilder builder)
    {
        builder.Services.AddExperiments();
        builder.Services.AddHostedService<WorkerHost>();
        return builder;
    }

    /// <summary>The PostgreSQL connection string of the membership table.</summary>
    /// <exception cref="Cli.UsageException">Cluster mode is configured without PostgreSQL.</exception>
    public static string ClusteringConnectionString(IConfiguration configuration, ClusterOptions cluster)
    {
        var connection = string.IsNullOrWhiteSpace(cluster.ClusteringConnectionString)
            ? GradDescentHosting.ConnectionString(configuration)
            : cluster.ClusteringConnectionString;
        if (ResultStoreFactory.DetectProvider(connection) != StorageProvider.PostgreSql)
        {
            throw new Cli.UsageException(
                "cluster mode keeps its membership table in PostgreSQL: set GradDescent__Database__ConnectionString "
                + "(or GradDescent__Cluster__ClusteringConnectionString) to a PostgreSQL connection string");
        }

        return connection;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
