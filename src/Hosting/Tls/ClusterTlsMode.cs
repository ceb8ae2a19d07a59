namespace GradDescent.Hosting.Tls;

/// <summary>When cluster connections (silo to silo, clients to gateways) use TLS (<c>GradDescent__Cluster__Tls__Mode</c>).</summary>
public enum ClusterTlsMode
{
    /// <summary>
    /// TLS whenever certificates are configured; a silo that listens beyond loopback (an advertised address is set,
    /// or it runs on Kubernetes) requires them. A loopback-only silo without certificates runs without TLS.
    /// </summary>
    Auto,

    /// <summary>Always TLS with mutual authentication; the three certificate paths must be set.</summary>
    Required,

    /// <summary>No TLS. Refused at start by a silo that listens beyond loopback.</summary>
    Off,
}
