using System.Net;
using System.Net.Sockets;
using GradDescent.Hosting.Tls;
using GradDescent.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using global::Orleans.Configuration;
using OrleansClusterOptions = global::Orleans.Configuration.ClusterOptions;

namespace GradDescent.Hosting.Orleans;

/// <summary>
/// The Orleans side of every host: a local-mode silo, a cluster silo or a cluster client. Settings come
/// from <see cref="ClusterOptions"/> (<c>GradDescent:Cluster</c>) when the host starts, never from raw
/// configuration. Each silo adds the <c>cluster</c> readiness check. Every connection uses mutual TLS as
/// <see cref="ClusterTlsOptions"/> (<c>GradDescent:Cluster:Tls</c>) says: on for a silo that listens beyond loopback.
/// </summary>
public static class OrleansHostingExtensions
{
    private const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Local mode: one silo on free loopback ports with in-process clustering (no membership table). TLS only when
    /// certificates are configured or the mode is <c>required</c> (nothing but this process uses the ports).
    /// </summary>
    public static IHostApplicationBuilder AddGradDescentLocalSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        AddSiloReadiness(builder.Services);
        builder.Services.AddClusterTlsForSilo(_ => ClusterTlsScope.LoopbackSilo);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(
            siloPort, gatewayPort, serviceId: "graddescent-local", clusterId: $"local-{Environment.ProcessId}"));
        return builder;
    }

    /// <summary>
    /// A cluster silo: membership in PostgreSQL (ADO.NET clustering; its tables are installed at start), failure
    /// detection tuned for a small control plane (<see cref="SmallControlPlaneMembership"/>), endpoints from <see cref="ClusterOptions"/>. Register the result store's schema step before this. On Kubernetes
    /// (<c>KUBERNETES_SERVICE_HOST</c> set) it also uses Orleans' Kubernetes hosting: see <see cref="KubernetesSiloHosting"/>.
    /// With an advertised address or on Kubernetes the silo listens on every address, so TLS is required.
    /// </summary>
    public static IHostApplicationBuilder AddGradDescentClusterSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var kubernetes = KubernetesSiloHosting.IsKubernetes(builder.Configuration);
        var podIP = kubernetes ? KubernetesSiloHosting.PodIP(builder.Configuration) : null;
        AddClusterOptions(builder.Services);
        AddSiloReadiness(builder.Services);
        builder.Services.AddClusterTlsForSilo(provider => new ClusterTlsScope(
            serves: true, () => Exposure(provider.GetRequiredService<IOptions<ClusterOptions>>().Value, kubernetes)));
        builder.Services.AddHostedService<ClusteringSchemaStartup>();
        builder.UseOrleans(silo =>
        {
            silo.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringSiloOptions> clustering) =>
                clustering.Configure<IOptions<ClusterOptions>, IOptions<DatabaseOptions>>((o, cluster, database) =>
                {
                    o.Invariant = NpgsqlInvariant;
                    o.ConnectionString = cluster.Value.ResolveClusteringConnectionString(database.Value);
                }));
            if (kubernetes)
            {
                KubernetesSiloHosting.Add(silo, builder.Configuration);
            }
        });
        builder.Services.AddOptions<ClusterMembershipOptions>().Configure<IOptions<ClusterOptions>>((o, cluster) => SmallControlPlaneMembership.Apply(o, cluster.Value));
        builder.Services.AddOptions<EndpointOptions>().Configure<IOptions<ClusterOptions>>((o, cluster) =>
        {
            var settings = cluster.Value;
            var advertised = string.IsNullOrWhiteSpace(settings.AdvertisedAddress) ? podIP : IPAddress.Parse(settings.AdvertisedAddress);
            o.SiloPort = settings.SiloPort;
            o.GatewayPort = settings.GatewayPort;
            if (advertised is not null)
            {
                o.AdvertisedIPAddress = advertised;
                o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, settings.SiloPort);
                o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, settings.GatewayPort);
            }
            else if (!kubernetes)
            {
                // On Kubernetes without POD_IP the hosting package finds the pod's address itself.
                o.AdvertisedIPAddress = IPAddress.Loopback;
            }
        });
        return builder;
    }

    /// <summary>
    /// A cluster client (workers, submit): finds gateways through the PostgreSQL membership table, every silo's, and
    /// re-reads it every <see cref="ClusterOptions.GatewayListRefreshPeriod"/>; when its gateway dies it goes on through another.
    /// </summary>
    /// <param name="waitForCluster">
    /// How long to keep trying to connect while no silo answers (a silo started at the same time is still
    /// installing its tables): <see cref="Timeout.InfiniteTimeSpan"/> for workers, which may start before any
    /// silo; null: fail at once. After that the host fails to start.
    /// </param>
    public static IHostApplicationBuilder AddGradDescentClusterClient(this IHostApplicationBuilder builder, TimeSpan? waitForCluster = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddClusterOptions(builder.Services);
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (waitForCluster is { } patience)
        {
            builder.Services.AddSingleton<IClientConnectionRetryFilter>(provider => ActivatorUtilities.CreateInstance<WaitForClusterRetryFilter>(provider, patience));
        }

        builder.Services.AddClusterTlsForClient();
        builder.Services.AddOptions<GatewayOptions>().Configure<IOptions<ClusterOptions>>((o, cluster) => o.GatewayListRefreshPeriod = cluster.Value.GatewayListRefreshPeriod);
        builder.UseOrleansClient(client => client.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringClientOptions> clustering) =>
            clustering.Configure<IOptions<ClusterOptions>, IOptions<DatabaseOptions>>((o, cluster, database) =>
            {
                o.Invariant = NpgsqlInvariant;
                o.ConnectionString = cluster.Value.ResolveClusteringConnectionString(database.Value);
            })));
        return builder;
    }

    private static void AddClusterOptions(IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        services.AddOptions<OrleansClusterOptions>().Configure<IOptions<ClusterOptions>>((o, cluster) =>
        {
            o.ClusterId = cluster.Value.ClusterId;
            o.ServiceId = cluster.Value.ServiceId;
        });
    }

    /// <summary>Why a cluster silo's ports are reachable from other machines (a sentence naming the setting), or null.</summary>
    private static string? Exposure(ClusterOptions cluster, bool kubernetes) =>
        !string.IsNullOrWhiteSpace(cluster.AdvertisedAddress)
            ? $"this silo listens on every address (GradDescent__Cluster__AdvertisedAddress is '{cluster.AdvertisedAddress}')"
            : kubernetes
                ? $"this silo runs on Kubernetes ({KubernetesSiloHosting.ServiceHostKey} is set), where it listens on the pod IP"
                : null;

    private static void AddSiloReadiness(IServiceCollection services)
    {
        services.TryAddSingleton<SiloReadiness>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<SiloReadiness>());
        services.AddHealthChecks().AddCheck<SiloReadiness>(SiloReadiness.Name);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
