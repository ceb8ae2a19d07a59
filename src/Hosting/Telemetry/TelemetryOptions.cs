using System.ComponentModel.DataAnnotations;

namespace GradDescent.Hosting.Telemetry;

/// <summary>
/// The HTTP endpoint serving <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> (section
/// <c>GradDescent:Telemetry</c>; flag <c>--metrics-port</c>).
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "GradDescent:Telemetry";

    /// <summary>Default port of <c>graddescent silo</c>.</summary>
    public const int SiloPort = 9464;

    /// <summary>Default port of <c>graddescent worker</c>.</summary>
    public const int WorkerPort = 9465;

    /// <summary>TCP port; 0 serves no endpoint (the metrics are still recorded).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>
    /// Address to listen on: an IP address (<c>127.0.0.1</c>, <c>0.0.0.0</c> for every interface, as pods
    /// need so probes and Prometheus reach the pod IP) or <c>localhost</c>.
    /// </summary>
    [Required]
    public string Host { get; set; } = "127.0.0.1";
}
