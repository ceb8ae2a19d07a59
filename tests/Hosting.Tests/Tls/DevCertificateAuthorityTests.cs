using System.Net;
using System.Security.Cryptography.X509Certificates;
using GradDescent.Hosting.Tls;

namespace GradDescent.Hosting.Tests.Tls;

public sealed class DevCertificateAuthorityTests
{
    [Fact]
    public void Create_WithHosts_CaSignsOnlyAndCertificateNamesEveryHostForBothUsages()
    {
        var now = DateTimeOffset.UtcNow;

        var made = DevCertificateAuthority.Create(["silo-0.graddescent", "10.1.2.3"], days: 7, now);

        using var ca = X509Certificate2.CreateFromPem(made.CaCertificatePem);
        var constraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints is { CertificateAuthority: true, HasPathLengthConstraint: true, PathLengthConstraint: 0 });
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);

        using var certificate = X509Certificate2.CreateFromPem(made.CertificatePem, made.KeyPem);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(ca.Subject, certificate.Issuer);
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.Equal(
            [ClusterCertificates.ServerAuthentication, ClusterCertificates.ClientAuthentication],
            Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        var names = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["localhost", "silo-0.graddescent"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("10.1.2.3")], names.EnumerateIPAddresses());
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), now.AddDays(7).UtcDateTime.AddSeconds(-1), now.AddDays(7).UtcDateTime.AddSeconds(1));
    }

    [Theory]
    [InlineData("bad host")]
    [InlineData("under_score..example")]
    [InlineData("http://x")]
    public void Create_HostNeitherIpNorDnsName_ThrowsNamingIt(string host)
    {
        var error = Assert.Throws<ArgumentException>(() => DevCertificateAuthority.Create([host], days: 1, DateTimeOffset.UtcNow));

        Assert.Contains($"'{host}'", error.Message, StringComparison.Ordinal);
    }
}
