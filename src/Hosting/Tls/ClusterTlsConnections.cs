using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace GradDescent.Hosting.Tls;

/// <summary>
/// Puts mutual TLS into Orleans' connection pipelines when <see cref="ClusterTlsScope.IsEnabled"/>: a silo's inbound
/// silo and gateway connections (server side) and its outbound silo connections, or a client's gateway connections.
/// Both ends present their certificate and accept the other's only if <see cref="ClusterCertificates.Verify"/> does.
/// </summary>
internal sealed partial class ClusterTlsConnections(
    IOptions<ClusterTlsOptions> options, ClusterTlsScope scope, TimeProvider time, ILogger<ClusterTlsConnections> logger) : IDisposable
{
    private ClusterCertificates? certificates;

    public void Configure(SiloConnectionOptions connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        if (Load() is not { } loaded)
        {
            return;
        }

        var inbound = Options(loaded, ClusterCertificates.ClientAuthentication);
        var outbound = Options(loaded, ClusterCertificates.ServerAuthentication);
        connections.ConfigureSiloInboundConnection(pipeline => pipeline.UseServerTls(inbound));
        connections.ConfigureGatewayInboundConnection(pipeline => pipeline.UseServerTls(inbound));
        connections.ConfigureSiloOutboundConnection(pipeline => pipeline.UseClientTls(outbound));
    }

    public void Configure(ClientConnectionOptions connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        if (Load() is { } loaded)
        {
            var outbound = Options(loaded, ClusterCertificates.ServerAuthentication);
            connections.ConfigureConnection(pipeline => pipeline.UseClientTls(outbound));
        }
    }

    public void Dispose() => certificates?.Dispose();

    private ClusterCertificates? Load()
    {
        var settings = options.Value;
        if (!scope.IsEnabled(settings))
        {
            if (scope.Serves)
            {
                LogTlsOff(logger, settings.Mode.ToString().ToLowerInvariant(), settings.HasCertificates ? "set" : "not set");
            }

            return null;
        }

        certificates ??= ClusterCertificates.Load(settings, scope.Serves, time.GetUtcNow());
        LogTlsOn(logger, certificates.Certificate.Subject, certificates.Certificate.NotAfter.ToUniversalTime(), string.Join("; ", certificates.Authorities.Select(a => a.Subject)));
        return certificates;
    }

    /// <summary>
    /// One side of a connection: our certificate, and the peer's required with the usage of its side: a client's
    /// (<see cref="ClusterCertificates.ClientAuthentication"/>) when we accept, a server's when we dial.
    /// </summary>
    private TlsOptions Options(ClusterCertificates loaded, string peerUsage) => new()
    {
        LocalCertificate = loaded.Certificate,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        RemoteCertificateValidation = (certificate, chain, _) => Accept(loaded, certificate, chain, peerUsage),
        SslProtocols = SslProtocols.Tls13,
        CheckCertificateRevocation = false,
    };

    /// <summary>
    /// The platform's verdict (<see cref="SslPolicyErrors"/>) is ignored on purpose: it judges against the system store
    /// and a host name; ours judges against the cluster CA only.
    /// </summary>
    private bool Accept(ClusterCertificates loaded, X509Certificate2 certificate, X509Chain? chain, string usage)
    {
        if (loaded.Verify(certificate, usage, chain, time.GetUtcNow()) is not { } problem)
        {
            return true;
        }

        LogRefused(logger, certificate.Subject, certificate.Issuer, certificate.Thumbprint, problem);
        return false;
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information,
        Message = "Cluster connections use TLS 1.3 with mutual authentication: certificate {Subject} (valid until {NotAfter:u}), peers must chain to {Authorities}")]
    private static partial void LogTlsOn(ILogger logger, string subject, DateTime notAfter, string authorities);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information,
        Message = "Cluster connections are not encrypted (GradDescent__Cluster__Tls__Mode is {Mode}, certificates {Certificates}): the silo listens on loopback only")]
    private static partial void LogTlsOff(ILogger logger, string mode, string certificates);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning,
        Message = "Refused a cluster connection: the peer's certificate {Subject} (issuer {Issuer}, thumbprint {Thumbprint}) {Problem}")]
    private static partial void LogRefused(ILogger logger, string subject, string issuer, string thumbprint, string problem);
}
