using System.Globalization;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>The environment every process of one test cluster shares: its database, a cluster id of its own, free ports, TLS.</summary>
public sealed class ClusterEnvironment
{
    private ClusterEnvironment(string connection, ClusterCertificatesFixture certificates)
    {
        Variables = new Dictionary<string, string>(certificates.Environment)
        {
            ["GradDescent__Database__ConnectionString"] = connection,
            ["GradDescent__Cluster__ClusterId"] = ClusterId,
            ["GradDescent__Cluster__SiloPort"] = FreePorts.NextText(),
            ["GradDescent__Cluster__GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture),
        };
    }

    public string ClusterId { get; } = $"it-{Guid.NewGuid():N}";

    public int GatewayPort { get; } = FreePorts.Next();

    /// <summary>The variables; add a test's own before starting processes.</summary>
    public Dictionary<string, string> Variables { get; }

    public static ClusterEnvironment Create(string connection, ClusterCertificatesFixture certificates) => new(connection, certificates);
}
