using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace GradDescent.Deploy.Testing;

/// <summary>
/// A container's environment as the kubelet builds it: envFrom first, then env in order, with values from
/// ConfigMaps and Secrets of the manifest set, fieldRef from <see cref="PodFacts"/> and pod labels, and
/// $(VAR) references expanded against the variables defined before (undefined references stay as written,
/// $$ escapes a dollar).
/// </summary>
public static partial class ContainerEnvironment
{
    /// <summary>
    /// Resolves <paramref name="container"/>'s variables. Throws, naming the variable, when a non-optional
    /// ConfigMap, Secret or key is missing from <paramref name="manifests"/> or a fieldRef is not supported.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Resolve(ManifestSet manifests, Workload workload, V1Container container, PodFacts pod)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var data = source.ConfigMapRef is { } configMapRef
                ? ConfigMapData(manifests, configMapRef.Name, configMapRef.Optional ?? false, $"{workload.Id} envFrom")
                : SecretData(manifests, source.SecretRef!.Name, source.SecretRef.Optional ?? false, $"{workload.Id} envFrom");
            foreach (var (key, value) in data ?? new Dictionary<string, string>())
            {
                values[(source.Prefix ?? string.Empty) + key] = value;
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            var where = $"{workload.Id} container {container.Name} variable {variable.Name}";
            if (variable.ValueFrom is null)
            {
                values[variable.Name] = Expand(variable.Value ?? string.Empty, values);
                continue;
            }

            var resolved = variable.ValueFrom switch
            {
                { FieldRef: { } field } => FieldValue(field.FieldPath, workload, pod, where),
                { ConfigMapKeyRef: { } key } => Lookup(ConfigMapData(manifests, key.Name, key.Optional ?? false, where), key.Key, key.Optional ?? false, $"ConfigMap {key.Name}", where),
                { SecretKeyRef: { } key } => Lookup(SecretData(manifests, key.Name, key.Optional ?? false, where), key.Key, key.Optional ?? false, $"Secret {key.Name}", where),
                _ => throw new NotSupportedException($"{where}: only fieldRef, configMapKeyRef and secretKeyRef are resolved"),
            };
            if (resolved is not null)
            {
                values[variable.Name] = resolved;
            }
        }

        return values;
    }

    /// <summary>Kubernetes $(VAR) expansion against <paramref name="defined"/>.</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string> defined) =>
        Reference().Replace(value, m => m.Value == "$$" ? "$" : defined.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);

    /// <summary>The names $(NAME) references in <paramref name="value"/> ($$ escapes excluded).</summary>
    public static IEnumerable<string> References(string value) =>
        Reference().Matches(value).Where(m => m.Value != "$$").Select(m => m.Groups["name"].Value);

    [GeneratedRegex(@"\$\$|\$\((?<name>[A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex Reference();

    private static string FieldValue(string path, Workload workload, PodFacts pod, string where)
    {
        var label = LabelPath().Match(path);
        return path switch
        {
            "metadata.name" => pod.Name,
            "metadata.namespace" => pod.Namespace,
            "status.podIP" => pod.Ip,
            "spec.nodeName" => pod.NodeName,
            "spec.serviceAccountName" => workload.Pod.ServiceAccountName ?? pod.ServiceAccountName,
            _ when label.Success => workload.PodLabels.TryGetValue(label.Groups["key"].Value, out var v) ? v : string.Empty,
            _ => throw new NotSupportedException($"{where}: fieldRef {path} is not resolved here"),
        };
    }

    [GeneratedRegex(@"^metadata\.labels\['(?<key>[^']+)'\]$")]
    private static partial Regex LabelPath();

    private static IDictionary<string, string>? ConfigMapData(ManifestSet manifests, string name, bool optional, string where) =>
        manifests.Find<V1ConfigMap>(name) is { } map
            ? map.Data ?? new Dictionary<string, string>()
            : optional ? null : throw new InvalidOperationException($"{where}: ConfigMap {name} is not in {manifests.Source}");

    private static IDictionary<string, string>? SecretData(ManifestSet manifests, string name, bool optional, string where)
    {
        if (manifests.Find<V1Secret>(name) is not { } secret)
        {
            return optional ? null : throw new InvalidOperationException($"{where}: Secret {name} is not in {manifests.Source}");
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, bytes) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            data[key] = Encoding.UTF8.GetString(bytes);
        }

        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            data[key] = value;
        }

        return data;
    }

    private static string? Lookup(IDictionary<string, string>? data, string key, bool optional, string owner, string where) =>
        data is null ? null
        : data.TryGetValue(key, out var value) ? value
        : optional ? null
        : throw new InvalidOperationException($"{where}: {owner} has no key {key}");
}
