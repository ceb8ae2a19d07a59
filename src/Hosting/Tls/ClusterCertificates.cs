using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GradDescent.Hosting.Tls;

/// <summary>
/// This process's certificate and the cluster CA, loaded from the PEM files of <see cref="ClusterTlsOptions"/>, and the
/// one rule every connection applies to its peer: the peer's certificate chains to the cluster CA (the system trust
/// store is never consulted) and allows the TLS role the peer plays. Host names are not checked: silos are reached by
/// pod IPs that change with every restart, so the CA (one per cluster) is the trust boundary.
/// </summary>
public sealed class ClusterCertificates : IDisposable
{
    /// <summary>Extended key usage "TLS server authentication".</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>Extended key usage "TLS client authentication".</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private ClusterCertificates(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        Certificate = certificate;
        Authorities = authorities;
    }

    /// <summary>The certificate (with its private key) this process presents.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The cluster CA certificates a peer's chain must end in.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>Loads and checks the three files; every problem names the setting and the file.</summary>
    /// <param name="serves">The certificate must also allow TLS server authentication (a silo's).</param>
    /// <exception cref="ClusterTlsException">A path is missing, a file unreadable or not PEM, the key does not match, the CA is
    /// not a CA, or the certificate is not valid now or not issued by the CA.</exception>
    public static ClusterCertificates Load(ClusterTlsOptions options, bool serves, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificatePath = Existing(options.CertificatePath, nameof(ClusterTlsOptions.CertificatePath));
        var keyPath = Existing(options.KeyPath, nameof(ClusterTlsOptions.KeyPath));
        var caPath = Existing(options.CaPath, nameof(ClusterTlsOptions.CaPath));

        var authorities = LoadAuthorities(caPath);
        var certificate = LoadCertificate(certificatePath, keyPath);
        var loaded = new ClusterCertificates(certificate, authorities);
        try
        {
            var key = ClusterTlsOptions.Key(nameof(ClusterTlsOptions.CertificatePath));
            if (now < certificate.NotBefore || now > certificate.NotAfter)
            {
                throw new ClusterTlsException(
                    $"{key}: the certificate in '{certificatePath}' is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}, not now; issue a new one (graddescent certs create)");
            }

            string[] usages = serves ? [ClientAuthentication, ServerAuthentication] : [ClientAuthentication];
            foreach (var usage in usages)
            {
                if (loaded.Verify(certificate, usage, presented: null, now) is { } problem)
                {
                    throw new ClusterTlsException($"{key}: the certificate in '{certificatePath}' {problem}");
                }
            }

            return loaded;
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks a peer's certificate: it must chain to <see cref="Authorities"/> (never the system store; no downloads, no
    /// revocation lists), be valid at <paramref name="now"/> and allow <paramref name="usage"/> if it lists usages.
    /// </summary>
    /// <param name="presented">The chain the TLS stack built from what the peer sent (its intermediates), or null.</param>
    /// <returns>Null when the certificate is trusted; otherwise what is wrong, as a phrase ("is not issued by ...").</returns>
    public string? Verify(X509Certificate2 certificate, string usage, X509Chain? presented, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (chain.Build(certificate))
        {
            return null;
        }

        var statuses = chain.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct().ToList();
        var what = usage == ServerAuthentication ? "TLS server" : "TLS client";
        return statuses.Contains(X509ChainStatusFlags.NotValidForUsage)
            ? $"does not allow {what} authentication (extended key usage {usage})"
            : $"is not issued by the cluster CA ({string.Join(", ", statuses)})";
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var authority in Authorities)
        {
            authority.Dispose();
        }
    }

    private static string Existing(string? path, string member)
    {
        var key = ClusterTlsOptions.Key(member);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ClusterTlsException($"{key}: not set");
        }

        return File.Exists(path) ? path : throw new ClusterTlsException($"{key}: no such file '{path}'");
    }

    private static X509Certificate2Collection LoadAuthorities(string caPath)
    {
        var key = ClusterTlsOptions.Key(nameof(ClusterTlsOptions.CaPath));
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ClusterTlsException($"{key}: cannot read a PEM certificate from '{caPath}' ({e.Message})");
        }

        if (authorities.Count == 0)
        {
            throw new ClusterTlsException($"{key}: '{caPath}' holds no PEM certificate");
        }

        foreach (var authority in authorities)
        {
            if (!authority.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
            {
                throw new ClusterTlsException($"{key}: '{caPath}' holds '{authority.Subject}', which is not a CA certificate (the CA is ca.crt of graddescent certs create)");
            }
        }

        return authorities;
    }

    private static X509Certificate2 LoadCertificate(string certificatePath, string keyPath)
    {
        try
        {
            using var alone = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ClusterTlsException(
                $"{ClusterTlsOptions.Key(nameof(ClusterTlsOptions.CertificatePath))}: cannot read a PEM certificate from '{certificatePath}' ({e.Message})");
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                throw new CryptographicException("no private key");
            }

            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ClusterTlsException(
                $"{ClusterTlsOptions.Key(nameof(ClusterTlsOptions.KeyPath))}: '{keyPath}' is not the PEM private key of the certificate in '{certificatePath}' ({e.Message})");
        }
    }
}
