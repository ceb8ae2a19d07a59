namespace GradDescent.Deploy.Testing;

/// <summary>Label keys and values the manifests share (CONTRACT: Kubernetes).</summary>
public static class ManifestLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string Pool = "graddescent.io/pool";
    public const string OrleansServiceId = "orleans/serviceId";
    public const string OrleansClusterId = "orleans/clusterId";
    public const string AppName = "graddescent";

    /// <summary>Components that are members of the Orleans cluster (silos and Orleans clients).</summary>
    public static IReadOnlySet<string> ClusterMembers { get; } = new HashSet<string> { "silo", "worker", "dashboard", "submit" };
}
