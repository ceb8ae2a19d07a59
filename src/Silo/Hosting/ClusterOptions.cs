using System.ComponentModel.DataAnnotations;

namespace GradDescent.Silo.Hosting;

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

    /// <summary>Address other silos and clients use to reach this silo (a pod IP on Kubernetes); empty: auto.</summary>
    public string? AdvertisedAddress { get; set; }
}
