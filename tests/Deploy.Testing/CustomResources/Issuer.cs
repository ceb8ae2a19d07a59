using System.Text.Json.Serialization;
using k8s.Models;

namespace GradDescent.Deploy.Testing.CustomResources;

/// <summary>
/// cert-manager's namespaced Issuer (cert-manager.io/v1), only the kinds components/cert-manager uses: a self-signed
/// issuer (for the CA certificate) and a CA issuer (signing with the CA kept in a Secret).
/// </summary>
[KubernetesEntity(Group = "cert-manager.io", ApiVersion = "v1", Kind = "Issuer", PluralName = "issuers")]
public sealed class Issuer : CustomResource<IssuerSpec>;

/// <summary>Exactly one of <see cref="SelfSigned"/> and <see cref="Ca"/>.</summary>
public sealed class IssuerSpec
{
    [JsonPropertyName("selfSigned")]
    public SelfSignedIssuer? SelfSigned { get; set; }

    [JsonPropertyName("ca")]
    public CaIssuer? Ca { get; set; }
}

/// <summary>Signs each certificate with its own key (<c>selfSigned: {}</c>).</summary>
public sealed class SelfSignedIssuer;

public sealed class CaIssuer
{
    /// <summary>The Secret (same namespace) holding the CA's tls.crt and tls.key.</summary>
    [JsonPropertyName("secretName")]
    public string SecretName { get; set; } = string.Empty;
}
