using System.Reflection;
using GradDescent.Deploy.Testing.CustomResources;
using k8s.Models;

namespace GradDescent.Deploy.Testing;

/// <summary>
/// "apiVersion/kind" → model type for <see cref="k8s.KubernetesYaml.LoadAllFromString(string, IDictionary{string, Type}, bool)"/>:
/// every built-in kind of the KubernetesClient models, plus the custom resources the manifests use
/// (prometheus-operator's ServiceMonitor and PrometheusRule, KEDA's ScaledObject, cert-manager's Issuer and Certificate) as minimal typed classes,
/// so a misspelt field fails in strict mode for custom kinds too. A kind missing here fails the load.
/// </summary>
public static class ManifestTypeMap
{
    private static readonly Lazy<IReadOnlyDictionary<string, Type>> Map = new(Build);

    /// <summary>The map (shared, read-only).</summary>
    public static IReadOnlyDictionary<string, Type> Types => Map.Value;

    private static Dictionary<string, Type> Build()
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in typeof(V1Pod).Assembly.GetTypes().Concat(typeof(ManifestTypeMap).Assembly.GetTypes()))
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { Kind: { Length: > 0 } kind } entity)
            {
                var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
                map[$"{apiVersion}/{kind}"] = type;
            }
        }

        return map;
    }

    /// <summary>Custom resource types (for documentation and tests).</summary>
    public static IReadOnlyList<Type> CustomResources { get; } = [typeof(ServiceMonitor), typeof(PrometheusRule), typeof(ScaledObject), typeof(Issuer), typeof(Certificate)];
}
