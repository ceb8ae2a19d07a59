using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace GradDescent.Deploy.Testing.CustomResources;

/// <summary>
/// The envelope of a custom resource (apiVersion, kind, metadata, spec). Subclasses carry the
/// <see cref="KubernetesEntityAttribute"/> that maps them in <see cref="ManifestTypeMap"/> and a spec class
/// with only the fields the manifests use, so strict loading rejects any other.
/// </summary>
public abstract class CustomResource<TSpec> : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>
    where TSpec : new()
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();
}
