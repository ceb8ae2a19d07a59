using System.Text.Json.Serialization;
using k8s.Models;

namespace GradDescent.Deploy.Testing.CustomResources;

/// <summary>
/// prometheus-operator's PrometheusRule (monitoring.coreos.com/v1). Its spec is a Prometheus rule file
/// (<see cref="RuleFile"/>), so deploy/prometheus/rules.yaml loads into the same classes for comparison.
/// </summary>
[KubernetesEntity(Group = "monitoring.coreos.com", ApiVersion = "v1", Kind = "PrometheusRule", PluralName = "prometheusrules")]
public sealed class PrometheusRule : CustomResource<RuleFile>;

/// <summary>A Prometheus rule file: <c>groups:</c>.</summary>
public sealed class RuleFile
{
    [JsonPropertyName("groups")]
    public IList<RuleGroup> Groups { get; set; } = [];
}

public sealed class RuleGroup
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("interval")]
    public string? Interval { get; set; }

    [JsonPropertyName("rules")]
    public IList<Rule> Rules { get; set; } = [];
}

/// <summary>An alerting rule (<see cref="Alert"/>) or a recording rule (<see cref="Record"/>).</summary>
public sealed class Rule
{
    [JsonPropertyName("alert")]
    public string? Alert { get; set; }

    [JsonPropertyName("record")]
    public string? Record { get; set; }

    [JsonPropertyName("expr")]
    public string Expr { get; set; } = string.Empty;

    [JsonPropertyName("for")]
    public string? For { get; set; }

    [JsonPropertyName("keep_firing_for")]
    public string? KeepFiringFor { get; set; }

    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; set; }
}
