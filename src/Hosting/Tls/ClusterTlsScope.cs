namespace GradDescent.Hosting.Tls;

/// <summary>
/// What TLS has to cover in this host: a silo serves connections (its certificate must allow TLS server and client
/// authentication) and may be reachable from other machines; a client only dials gateways.
/// </summary>
/// <param name="Serves">A silo (inbound silo and gateway connections, outbound silo connections); false: a cluster client.</param>
/// <param name="exposure">Why the silo's ports are reachable beyond loopback, or null; evaluated once, when first asked.</param>
internal sealed class ClusterTlsScope(bool serves, Func<string?> exposure)
{
    private readonly Lazy<string?> exposure = new(exposure);

    public bool Serves { get; } = serves;

    /// <summary>Why this silo listens beyond loopback (a sentence naming the setting), or null: loopback only, or a client.</summary>
    public string? Exposure => exposure.Value;

    public static ClusterTlsScope Client { get; } = new(serves: false, () => null);

    public static ClusterTlsScope LoopbackSilo { get; } = new(serves: true, () => null);

    /// <summary>Whether connections use TLS under <paramref name="options"/>: see <see cref="ClusterTlsMode"/>.</summary>
    public bool IsEnabled(ClusterTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Mode switch
        {
            ClusterTlsMode.Required => true,
            ClusterTlsMode.Off => false,
            _ => Exposure is not null || options.HasCertificates,
        };
    }
}
