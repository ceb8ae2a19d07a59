using System.Text.Json.Serialization;
using k8s.Models;

namespace GradDescent.Deploy.Testing.CustomResources;

/// <summary>
/// cert-manager's Certificate (cert-manager.io/v1), only the fields components/cert-manager uses: cert-manager keeps
/// the certificate, its key and its CA in the kubernetes.io/tls Secret <see cref="CertificateSpec.SecretName"/>
/// (tls.crt, tls.key, ca.crt).
/// </summary>
[KubernetesEntity(Group = "cert-manager.io", ApiVersion = "v1", Kind = "Certificate", PluralName = "certificates")]
public sealed class Certificate : CustomResource<CertificateSpec>;

public sealed class CertificateSpec
{
    [JsonPropertyName("secretName")]
    public string SecretName { get; set; } = string.Empty;

    [JsonPropertyName("secretTemplate")]
    public CertificateSecretTemplate? SecretTemplate { get; set; }

    /// <summary>Named so that the YAML loader's camel-case convention (it ignores JsonPropertyName) reads <c>isCA</c>.</summary>
    [JsonPropertyName("isCA")]
    public bool? IsCA { get; set; }

    [JsonPropertyName("commonName")]
    public string? CommonName { get; set; }

    [JsonPropertyName("subject")]
    public CertificateSubject? Subject { get; set; }

    [JsonPropertyName("dnsNames")]
    public IList<string>? DnsNames { get; set; }

    /// <summary>A Go duration such as <c>2160h</c>.</summary>
    [JsonPropertyName("duration")]
    public string? Duration { get; set; }

    [JsonPropertyName("renewBefore")]
    public string? RenewBefore { get; set; }

    [JsonPropertyName("privateKey")]
    public CertificatePrivateKey? PrivateKey { get; set; }

    /// <summary>Key usages and extended key usages, as cert-manager spells them ("server auth", "client auth").</summary>
    [JsonPropertyName("usages")]
    public IList<string>? Usages { get; set; }

    [JsonPropertyName("issuerRef")]
    public IssuerReference IssuerRef { get; set; } = new();
}

public sealed class CertificateSecretTemplate
{
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; set; }
}

public sealed class CertificateSubject
{
    [JsonPropertyName("organizations")]
    public IList<string>? Organizations { get; set; }
}

public sealed class CertificatePrivateKey
{
    [JsonPropertyName("algorithm")]
    public string? Algorithm { get; set; }

    [JsonPropertyName("size")]
    public int? Size { get; set; }

    [JsonPropertyName("encoding")]
    public string? Encoding { get; set; }

    [JsonPropertyName("rotationPolicy")]
    public string? RotationPolicy { get; set; }
}

public sealed class IssuerReference
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("group")]
    public string? Group { get; set; }
}
