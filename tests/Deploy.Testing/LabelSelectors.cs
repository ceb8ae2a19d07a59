using k8s.Models;

namespace GradDescent.Deploy.Testing;

/// <summary>Kubernetes label selector semantics (matchLabels and matchExpressions; an empty selector matches everything).</summary>
public static class LabelSelectors
{
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        if (selector is null)
        {
            return true;
        }

        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            _ => throw new NotSupportedException($"label selector operator {e.OperatorProperty}"),
        });
    }

    /// <summary>A Service-style selector (a plain map; every pair must match).</summary>
    public static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        Matches(new V1LabelSelector { MatchLabels = selector ?? new Dictionary<string, string>() }, labels);
}
