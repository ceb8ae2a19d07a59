using k8s.Models;

namespace GradDescent.Deploy.Testing;

/// <summary>A Deployment, StatefulSet or Job: what runs pods, with the pod template it runs.</summary>
public sealed record Workload(string Kind, V1ObjectMeta Metadata, V1PodTemplateSpec Template, int? Replicas)
{
    public string Name => Metadata.Name;

    /// <summary>"Kind/name", for messages.</summary>
    public string Id => $"{Kind}/{Name}";

    public IDictionary<string, string> PodLabels => Template.Metadata?.Labels ?? new Dictionary<string, string>();

    public V1PodSpec Pod => Template.Spec;

    /// <summary>Init containers, then containers.</summary>
    public IEnumerable<V1Container> AllContainers => (Pod.InitContainers ?? []).Concat(Pod.Containers ?? []);

    /// <summary>The value of the app.kubernetes.io/component pod label, or null.</summary>
    public string? Component => PodLabels.TryGetValue(ManifestLabels.Component, out var value) ? value : null;
}
