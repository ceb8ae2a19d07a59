using System.ComponentModel.DataAnnotations;
using GradDescent.Storage;

namespace GradDescent.Hosting.Orleans;

/// <summary>Orleans cluster settings (section <c>GradDescent:Cluster</c>, e.g. <c>GradDescent__Cluster__SiloPort</c>).</summary>
public sealed class ClusterOptions
{
    public const string Section = "GradDescent:Cluster";

    [Required]
    public string ClusterId { get; set; } = "graddescent";

    [Required]
    public string ServiceId { get; set; } = "graddescent";

    /// <summary>
    /// Membership table for cluster mode (PostgreSQL, ADO.NET clustering). Empty: the database
    /// connection string, which must then be PostgreSQL.
    /// </summary>
    public string? ClusteringConnectionString { get; set; }

    [Range(0, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(0, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// IP address other silos and clients use to reach this silo (a pod IP on Kubernetes); when set, the silo
    /// listens on every address. Empty: loopback only.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The membership table's connection string: <see cref="ClusteringConnectionString"/>, else the database's.</summary>
    public string ResolveClusteringConnectionString(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return string.IsNullOrWhiteSpace(ClusteringConnectionString) ? database.ConnectionString : ClusteringConnectionString;
    }
}
