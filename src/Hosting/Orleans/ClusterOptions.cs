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

    /// <summary>
    /// How long a silo waits for another silo's answer to a liveness probe; a silo that misses three probes in a row
    /// is voted dead, so a killed silo's grains move to the others after about three times this. Longer: fewer false
    /// deaths on a machine that stalls (a long GC pause, an overloaded node), slower recovery. Only silos use it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:05:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a cluster client (worker, <c>submit</c>, dashboard) re-reads the live gateways from the membership
    /// table, so it finds a silo started after it (a replacement) before the silos it knows are gone. Only clients use it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The membership table's connection string: <see cref="ClusteringConnectionString"/>, else the database's.</summary>
    public string ResolveClusteringConnectionString(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return string.IsNullOrWhiteSpace(ClusteringConnectionString) ? database.ConnectionString : ClusteringConnectionString;
    }
}
