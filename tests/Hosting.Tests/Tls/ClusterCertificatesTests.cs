using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GradDescent.Hosting.Tls;

namespace GradDescent.Hosting.Tests.Tls;

public sealed class ClusterCertificatesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void Load_FilesOfCertsCreate_TrustTheirOwnCertificateForServerAndClient()
    {
        using var files = new TestCertificates();

        using var loaded = ClusterCertificates.Load(files.Options(), serves: true, Now);

        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.Equal(DevCertificateAuthority.CaSubject, Assert.Single(loaded.Authorities).Subject);
        using var peer = files.Certificate();
        Assert.Null(loaded.Verify(peer, ClusterCertificates.ServerAuthentication, presented: null, Now));
        Assert.Null(loaded.Verify(peer, ClusterCertificates.ClientAuthentication, presented: null, Now));
    }

    [Fact]
    public void Verify_CertificateOfAnotherCaWithTheSameName_IsRefused()
    {
        using var ours = new TestCertificates(name: "ours");
        using var theirs = new TestCertificates(name: "theirs");
        using var loaded = ClusterCertificates.Load(ours.Options(), serves: true, Now);
        using var rogue = theirs.Certificate();

        using var own = ours.Certificate();
        Assert.Equal(own.Issuer, rogue.Issuer);
        var problem = loaded.Verify(rogue, ClusterCertificates.ClientAuthentication, presented: null, Now);

        Assert.NotNull(problem);
        Assert.StartsWith("is not issued by the cluster CA", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_CaFileWithTwoCas_TrustsCertificatesOfBoth()
    {
        using var current = new TempRotation();
        using var loaded = ClusterCertificates.Load(current.Options, serves: true, Now);
        using var ofOld = current.Old.Certificate();
        using var ofNew = current.New.Certificate();

        Assert.Equal(2, loaded.Authorities.Count);
        Assert.Null(loaded.Verify(ofOld, ClusterCertificates.ClientAuthentication, presented: null, Now));
        Assert.Null(loaded.Verify(ofNew, ClusterCertificates.ClientAuthentication, presented: null, Now));
    }

    [Fact]
    public void Verify_SelfSignedCertificate_IsRefused()
    {
        using var files = new TestCertificates();
        using var loaded = ClusterCertificates.Load(files.Options(), serves: true, Now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var selfSigned = new CertificateRequest("CN=graddescent, O=GradDescent", key, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddDays(-1), Now.AddDays(1));

        Assert.StartsWith("is not issued by the cluster CA", loaded.Verify(selfSigned, ClusterCertificates.ClientAuthentication, presented: null, Now), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ExpiredCertificateOfTheCa_IsRefused()
    {
        using var files = new TestCertificates();
        using var loaded = ClusterCertificates.Load(files.Options(), serves: true, Now);
        using var peer = files.Certificate();

        var problem = loaded.Verify(peer, ClusterCertificates.ClientAuthentication, presented: null, Now.AddDays(31));

        Assert.NotNull(problem);
        Assert.Contains("NotTimeValid", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_CertificateOfTheCaForServersOnly_IsRefusedAsAClient()
    {
        using var files = new TestCertificates();
        using var loaded = ClusterCertificates.Load(files.Options(), serves: true, Now);
        using var serverOnly = files.Issue("CN=server-only", ClusterCertificates.ServerAuthentication);

        Assert.Null(loaded.Verify(serverOnly, ClusterCertificates.ServerAuthentication, presented: null, Now));
        Assert.Equal(
            $"does not allow TLS client authentication (extended key usage {ClusterCertificates.ClientAuthentication})",
            loaded.Verify(serverOnly, ClusterCertificates.ClientAuthentication, presented: null, Now));
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_FailsNamingKeyPath()
    {
        using var files = new TestCertificates();
        using var other = new TestCertificates(name: "other");
        var options = files.Options();
        options.KeyPath = other.KeyPath;

        var error = Assert.Throws<ClusterTlsException>(() => ClusterCertificates.Load(options, serves: true, Now));

        Assert.StartsWith("GradDescent:Cluster:Tls:KeyPath: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(other.KeyPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificateAsCa_FailsNamingCaPath()
    {
        using var files = new TestCertificates();
        var options = files.Options();
        options.CaPath = files.CertificatePath;

        var error = Assert.Throws<ClusterTlsException>(() => ClusterCertificates.Load(options, serves: true, Now));

        Assert.StartsWith("GradDescent:Cluster:Tls:CaPath: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a CA certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificateOfAnotherCa_FailsNamingCertificatePath()
    {
        using var files = new TestCertificates();
        using var other = new TestCertificates(name: "other");
        var options = files.Options();
        options.CaPath = other.CaPath;

        var error = Assert.Throws<ClusterTlsException>(() => ClusterCertificates.Load(options, serves: true, Now));

        Assert.StartsWith("GradDescent:Cluster:Tls:CertificatePath: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not issued by the cluster CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_FailsNamingTheSettingAndPath()
    {
        using var files = new TestCertificates();
        var options = files.Options();
        options.CertificatePath = Path.Combine(files.Folder, "missing.crt");

        var error = Assert.Throws<ClusterTlsException>(() => ClusterCertificates.Load(options, serves: false, Now));

        Assert.Equal($"GradDescent:Cluster:Tls:CertificatePath: no such file '{options.CertificatePath}'", error.Message);
    }

    [Fact]
    public void Load_NotYetValid_FailsNamingCertificatePath()
    {
        using var files = new TestCertificates(DevCertificateAuthority.Create([], days: 30, Now.AddDays(10)));

        var error = Assert.Throws<ClusterTlsException>(() => ClusterCertificates.Load(files.Options(), serves: true, Now));

        Assert.StartsWith("GradDescent:Cluster:Tls:CertificatePath: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("not now", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A CA rotation in progress: ca.crt holds the old and the new CA; this process still presents the old certificate.</summary>
    private sealed class TempRotation : IDisposable
    {
        public TestCertificates Old { get; } = new(name: "old");

        public TestCertificates New { get; } = new(name: "new");

        public ClusterTlsOptions Options
        {
            get
            {
                var both = Path.Combine(Old.Folder, "both-ca.crt");
                File.WriteAllText(both, $"{Old.Made.CaCertificatePem}\n{New.Made.CaCertificatePem}\n");
                var options = Old.Options();
                options.CaPath = both;
                return options;
            }
        }

        public void Dispose()
        {
            Old.Dispose();
            New.Dispose();
        }
    }
}
