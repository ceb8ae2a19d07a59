using System.Text.Json.Serialization;
using k8s.Models;

namespace GradDescent.Deploy.Testing.CustomResources;

/// <summary>KEDA's ScaledObject (keda.sh/v1alpha1), only the fields the manifests use.</summary>
[KubernetesEntity(Group = "keda.sh", ApiVersion = "v1alpha1", Kind = "ScaledObject", PluralName = "scaledobjects")]
public sealed class ScaledObject : CustomResource<ScaledObjectSpec>;

public sealed class ScaledObjectSpec
{
    [JsonPropertyName("scaleTargetRef")]
    public ScaleTargetRef ScaleTargetRef { get; set; } = new();

    [JsonPropertyName("minReplicaCount")]
    public int? MinReplicaCount { get; set; }

    [JsonPropertyName("maxReplicaCount")]
    public int? MaxReplicaCount { get; set; }

    [JsonPropertyName("pollingInterval")]
    public int? PollingInterval { get; set; }

    [JsonPropertyName("cooldownPeriod")]
    public int? CooldownPeriod { get; set; }

    [JsonPropertyName("advanced")]
    public ScaledObjectAdvanced? Advanced { get; set; }

    [JsonPropertyName("triggers")]
    public IList<ScaleTrigger> Triggers { get; set; } = [];
}

/// <summary>The scaled workload; KEDA's default kind is apps/v1 Deployment.</summary>
public sealed class ScaleTargetRef
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }
}

public sealed class ScaledObjectAdvanced
{
    [JsonPropertyName("horizontalPodAutoscalerConfig")]
    public HorizontalPodAutoscalerConfig? HorizontalPodAutoscalerConfig { get; set; }
}

public sealed class HorizontalPodAutoscalerConfig
{
    [JsonPropertyName("behavior")]
    public V2HorizontalPodAutoscalerBehavior? Behavior { get; set; }
}

public sealed class ScaleTrigger
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public IDictionary<string, string> Metadata { get; set; } = new Dictionary<string, string>();
}
