namespace GradDescent.Deploy.Tests.Infrastructure;

/// <summary>
/// The environment variables a GradDescent container may be given: CONTRACT.md's configuration table (plus
/// WorkerOptions.CacheFolder, which landed after it) and its Kubernetes section. Kept as a list because this
/// branch predates the options classes; once they are in src/ (ClusterOptions, TelemetryOptions,
/// LoggingOptions, DatabaseOptions, WorkerOptions, SweepOptions, ...), read the keys from them by reflection
/// so a renamed option fails this test.
/// </summary>
public static class ConfigurationKeys
{
    public static IReadOnlySet<string> Exact { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "GradDescent__Database__ConnectionString",
        "GradDescent__Cluster__ClusterId",
        "GradDescent__Cluster__ServiceId",
        "GradDescent__Cluster__ClusteringConnectionString",
        "GradDescent__Cluster__SiloPort",
        "GradDescent__Cluster__GatewayPort",
        "GradDescent__Cluster__AdvertisedAddress",
        "GradDescent__Sweeps__LeaseDuration",
        "GradDescent__Sweeps__MaxBatchTrials",
        "GradDescent__Sweeps__MinBatchTrials",
        "GradDescent__Sweeps__MaxTrials",
        "GradDescent__Worker__WorkerId",
        "GradDescent__Worker__Device",
        "GradDescent__Worker__Slots",
        "GradDescent__Worker__Pool",
        "GradDescent__Worker__MaxBatchTrials",
        "GradDescent__Worker__MaxFusedTrials",
        "GradDescent__Worker__IdlePollInterval",
        "GradDescent__Worker__TorchThreads",
        "GradDescent__Worker__CacheFolder",
        "GradDescent__Telemetry__Port",
        "GradDescent__Telemetry__Host",
        "GradDescent__Logging__Format",
        "GradDescent__Dashboard__Urls",
        // Orleans' Kubernetes hosting (KubernetesHostingOptions) reads these from the downward API and the ConfigMap.
        "POD_NAME",
        "POD_NAMESPACE",
        "POD_IP",
        "ORLEANS_SERVICE_ID",
        "ORLEANS_CLUSTER_ID",
    };

    /// <summary>Keys with an index or a free-form tail: GradDescent__Dashboard__ApiKeys__0, GradDescent__Files__Roots__0, GradDescent__Cluster__Tls__….</summary>
    public static IReadOnlyList<string> Prefixes { get; } =
    [
        "GradDescent__Dashboard__ApiKeys__",
        "GradDescent__Files__Roots__",
        "GradDescent__Cluster__Tls__",
    ];

    public static bool IsKnown(string name) =>
        Exact.Contains(name) || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal) && name.Length > p.Length);
}
