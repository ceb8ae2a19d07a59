using k8s.Models;

namespace GradDescent.Deploy.Tests.Infrastructure;

/// <summary>Secrets an operator creates beside the overlays (docs/deploy.md), for resolving environments and volumes.</summary>
public static class ExternalSecrets
{
    /// <summary>The cluster's TLS Secret every silo, worker, dashboard and submit pod mounts (docs/deploy.md, docs/security.md).</summary>
    public const string TlsSecretName = "graddescent-tls";

    public const string ConnectionString = "Host=db.example.com;Database=graddescent;Username=graddescent;Password=from-the-operator";

    /// <summary>graddescent-database with key connection-string.</summary>
    public static V1Secret Database { get; } = new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = "graddescent-database", NamespaceProperty = Overlays.Namespace },
        StringData = new Dictionary<string, string> { ["connection-string"] = ConnectionString },
    };

    /// <summary>
    /// graddescent-tls as <c>kubectl create secret generic graddescent-tls --type=kubernetes.io/tls</c> makes it from the
    /// files of <c>graddescent certs create</c> (tls.crt, tls.key, ca.crt), with a text per key that names the key
    /// (no key material: what a file holds does not matter to where it is mounted).
    /// </summary>
    public static V1Secret Tls { get; } = new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "kubernetes.io/tls",
        Metadata = new V1ObjectMeta { Name = TlsSecretName, NamespaceProperty = Overlays.Namespace },
        StringData = new Dictionary<string, string>
        {
            ["tls.crt"] = "the cluster certificate (tls.crt)",
            ["tls.key"] = "its key (tls.key)",
            ["ca.crt"] = "the cluster CA (ca.crt)",
        },
    };
}
