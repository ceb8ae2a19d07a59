using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GradDescent.Hosting.Tls;

namespace GradDescent.Hosting.Tests.Tls;

/// <summary>Certificates written to a temporary folder as <c>graddescent certs create</c> writes them; deleted afterwards.</summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates(DevCertificates? made = null, string? name = null)
    {
        Made = made ?? DevCertificateAuthority.Create([], days: 30, DateTimeOffset.UtcNow);
        Folder = Path.Combine(Path.GetTempPath(), $"graddescent-tls-{name ?? "test"}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        File.WriteAllText(CaPath, Made.CaCertificatePem);
        File.WriteAllText(Path.Combine(Folder, "ca.key"), Made.CaKeyPem);
        File.WriteAllText(CertificatePath, Made.CertificatePem);
        File.WriteAllText(KeyPath, Made.KeyPem);
    }

    public DevCertificates Made { get; }

    public string Folder { get; }

    public string CertificatePath => Path.Combine(Folder, "tls.crt");

    public string KeyPath => Path.Combine(Folder, "tls.key");

    public string CaPath => Path.Combine(Folder, "ca.crt");

    public ClusterTlsOptions Options(ClusterTlsMode mode = ClusterTlsMode.Auto) =>
        new() { Mode = mode, CertificatePath = CertificatePath, KeyPath = KeyPath, CaPath = CaPath };

    public X509Certificate2 Certificate() => X509Certificate2.CreateFromPem(Made.CertificatePem);

    /// <summary>A certificate signed by this folder's CA with the given extended key usages.</summary>
    public X509Certificate2 Issue(string subject, params string[] usages)
    {
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(Made.CaKeyPem);
        using var caPublic = X509Certificate2.CreateFromPem(Made.CaCertificatePem);
        using var ca = caPublic.CopyWithPrivateKey(caKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages.Select(u => new Oid(u))], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(ca, now.AddMinutes(-1), now.AddDays(1), [0x42, 0x01]);
        return X509Certificate2.CreateFromPem(issued.ExportCertificatePem());
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
