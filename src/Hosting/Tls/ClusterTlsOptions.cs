namespace GradDescent.Hosting.Tls;

/// <summary>
/// Mutual TLS between silos, workers and clients (section <c>GradDescent:Cluster:Tls</c>, e.g.
/// <c>GradDescent__Cluster__Tls__CertificatePath</c>). The three paths are what a Kubernetes TLS Secret mounts:
/// <c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>; <c>graddescent certs create DIR</c> writes them.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string Section = "GradDescent:Cluster:Tls";

    /// <summary><c>auto</c> (default), <c>required</c> or <c>off</c>.</summary>
    public ClusterTlsMode Mode { get; set; } = ClusterTlsMode.Auto;

    /// <summary>PEM certificate this process presents to its peers (<c>tls.crt</c>): issued by the CA in <see cref="CaPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="CertificatePath"/> (<c>tls.key</c>, PKCS#8 or PKCS#1/SEC1).</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// PEM certificate(s) of the cluster's own CA (<c>ca.crt</c>): a peer is accepted only if its certificate chains
    /// to one of them; the system trust store is never consulted. Several CAs in one file allow a rotation.
    /// </summary>
    public string? CaPath { get; set; }

    /// <summary>Whether any of the three paths is set.</summary>
    public bool HasCertificates =>
        !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(KeyPath) || !string.IsNullOrWhiteSpace(CaPath);

    /// <summary>The configuration key of a member, as failures name it (<c>GradDescent:Cluster:Tls:KeyPath</c>).</summary>
    public static string Key(string member) => $"{Section}:{member}";
}
