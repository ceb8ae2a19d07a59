using System.Text.Json.Serialization;
using k8s.Models;

namespace GradDescent.Deploy.Testing.CustomResources;

/// <summary>
/// prometheus-operator's ServiceMonitor (monitoring.coreos.com/v1), only the fields the manifests use: in
/// strict loading any other field fails, so extend this class when a manifest needs one.
/// </summary>
[KubernetesEntity(Group = "monitoring.coreos.com", ApiVersion = "v1", Kind = "ServiceMonitor", PluralName = "servicemonitors")]
public sealed class ServiceMonitor : CustomResource<ServiceMonitorSpec>;

public sealed class ServiceMonitorSpec
{
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("namespaceSelector")]
    public NamespaceSelector? NamespaceSelector { get; set; }

    [JsonPropertyName("jobLabel")]
    public string? JobLabel { get; set; }

    [JsonPropertyName("podTargetLabels")]
    public IList<string>? PodTargetLabels { get; set; }

    [JsonPropertyName("endpoints")]
    public IList<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

public sealed class NamespaceSelector
{
    [JsonPropertyName("any")]
    public bool? Any { get; set; }

    [JsonPropertyName("matchNames")]
    public IList<string>? MatchNames { get; set; }
}

public sealed class ServiceMonitorEndpoint
{
    /// <summary>Name of a port of the selected Services.</summary>
    [JsonPropertyName("port")]
    public string? Port { get; set; }

    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("scheme")]
    public string? Scheme { get; set; }

    [JsonPropertyName("interval")]
    public string? Interval { get; set; }

    [JsonPropertyName("scrapeTimeout")]
    public string? ScrapeTimeout { get; set; }
}
