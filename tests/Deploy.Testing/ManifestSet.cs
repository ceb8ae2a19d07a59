using k8s;
using k8s.Models;

namespace GradDescent.Deploy.Testing;

/// <summary>The objects of one rendered kustomization, strictly typed, with lookups by kind and name.</summary>
public sealed class ManifestSet
{
    public ManifestSet(string source, IEnumerable<IKubernetesObject<V1ObjectMeta>> objects)
    {
        Source = source;
        Objects = [.. objects];
    }

    /// <summary>What was rendered (a folder), for messages.</summary>
    public string Source { get; }

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects { get; }

    /// <summary>Parses a multi-document YAML stream in strict mode (an unknown field or kind throws).</summary>
    public static ManifestSet Parse(string source, string yaml)
    {
        var loaded = KubernetesYaml.LoadAllFromString(yaml, ManifestTypeMap.Types.ToDictionary(), strict: true);
        return new ManifestSet(source, loaded.Select((o, i) => o as IKubernetesObject<V1ObjectMeta>
            ?? throw new InvalidOperationException($"{source}: document {i} ({o?.GetType().Name}) has no object metadata")));
    }

    /// <summary>
    /// This set with <paramref name="objects"/> added, each replacing an object of the same kind and name
    /// (e.g. the Secret an operator creates beside overlays/production, or a test database's Secret).
    /// </summary>
    public ManifestSet With(params IKubernetesObject<V1ObjectMeta>[] objects) =>
        new(Source, Objects.Where(o => !objects.Any(n => n.Kind == o.Kind && n.Metadata.Name == o.Metadata.Name)).Concat(objects));

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    /// <summary>The single object of type <typeparamref name="T"/> named <paramref name="name"/>.</summary>
    public T Get<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        Find<T>(name) ?? throw new InvalidOperationException(
            $"{Source}: no {typeof(T).Name} named {name}; there are: {string.Join(", ", All<T>().Select(o => o.Metadata.Name))}");

    public T? Find<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(o => o.Metadata.Name == name);

    /// <summary>Deployments, StatefulSets and Jobs.</summary>
    public IReadOnlyList<Workload> Workloads =>
    [
        .. All<V1Deployment>().Select(d => new Workload("Deployment", d.Metadata, d.Spec.Template, d.Spec.Replicas)),
        .. All<V1StatefulSet>().Select(s => new Workload("StatefulSet", s.Metadata, s.Spec.Template, s.Spec.Replicas)),
        .. All<V1Job>().Select(j => new Workload("Job", j.Metadata, j.Spec.Template, null)),
    ];

    public Workload Workload(string name) =>
        Workloads.SingleOrDefault(w => w.Name == name)
        ?? throw new InvalidOperationException($"{Source}: no workload named {name}; there are: {string.Join(", ", Workloads.Select(w => w.Id))}");

    /// <summary>"Kind/name" of every object, for messages.</summary>
    public override string ToString() => $"{Source}: {string.Join(", ", Objects.Select(o => $"{o.Kind}/{o.Metadata.Name}"))}";
}
