using k8s.Models;

namespace GradDescent.Deploy.Tests.Infrastructure;

/// <summary>Secrets an operator creates beside overlays/production (docs/deploy.md), for resolving environments.</summary>
public static class ExternalSecrets
{
    public const string ConnectionString = "Host=db.example.com;Database=graddescent;Username=graddescent;Password=from-the-operator";

    /// <summary>graddescent-database with key connection-string.</summary>
    public static V1Secret Database { get; } = new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = "graddescent-database", NamespaceProperty = Overlays.Namespace },
        StringData = new Dictionary<string, string> { ["connection-string"] = ConnectionString },
    };
}
