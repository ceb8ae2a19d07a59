using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GradDescent.Hosting.Tls;

/// <summary>PEM texts of a cluster CA and of one certificate it issued (what <c>graddescent certs create</c> writes).</summary>
public sealed record DevCertificates(string CaCertificatePem, string CaKeyPem, string CertificatePem, string KeyPem);

/// <summary>
/// A throw-away cluster CA and one certificate for every process of the cluster (silos, workers, clients), ECDSA
/// P-256: the CA may sign certificates only (path length 0); the certificate allows TLS server and client
/// authentication and names the given hosts as subject alternative names (informational: peers check the CA, not names).
/// </summary>
public static class DevCertificateAuthority
{
    /// <summary>Subject of the CA; every CA made here has it, only its key tells two apart.</summary>
    public const string CaSubject = "CN=GradDescent cluster CA, O=GradDescent";

    /// <summary>Subject of the cluster certificate.</summary>
    public const string Subject = "CN=graddescent, O=GradDescent";

    /// <summary>Names every certificate carries besides the ones asked for.</summary>
    public static readonly IReadOnlyList<string> DefaultHosts = ["localhost", "127.0.0.1", "::1"];

    /// <param name="hosts">DNS names and IP addresses to add to <see cref="DefaultHosts"/>.</param>
    /// <param name="days">Validity of both certificates from <paramref name="now"/>.</param>
    /// <exception cref="ArgumentException">A host is neither an IP address nor a DNS name; days is not positive.</exception>
    public static DevCertificates Create(IEnumerable<string> hosts, int days, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in DefaultHosts.Concat(hosts).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
            }
            else if (Uri.CheckHostName(host) == UriHostNameType.Dns && !host.EndsWith('.'))
            {
                names.AddDnsName(host);
            }
            else
            {
                throw new ArgumentException($"'{host}' is neither an IP address nor a DNS name", nameof(hosts));
            }
        }

        var (notBefore, notAfter) = (now.AddMinutes(-5), now.AddDays(days));
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest(CaSubject, caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(ClusterCertificates.ServerAuthentication), new Oid(ClusterCertificates.ClientAuthentication)], critical: false));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var certificate = request.Create(ca, notBefore, notAfter, SerialNumber());

        return new DevCertificates(ca.ExportCertificatePem(), caKey.ExportPkcs8PrivateKeyPem(), certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A random 127-bit serial number, positive and minimally encoded (top bits 01).</summary>
    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x3F) | 0x40);
        return serial;
    }
}
