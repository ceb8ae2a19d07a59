using System.Security.Cryptography.X509Certificates;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>
/// Cluster certificates made the way users make them, with <c>graddescent certs create</c>, once per test class, and the
/// three <c>GradDescent__Cluster__Tls__*</c> variables that point every process of a test cluster at them.
/// </summary>
public sealed class ClusterCertificatesFixture : IAsyncLifetime
{
    private readonly TempFolder folder = new();

    public string CertificatePath => folder.File("tls.crt");

    public string KeyPath => folder.File("tls.key");

    public string CaPath => folder.File("ca.crt");

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["GradDescent__Cluster__Tls__CertificatePath"] = CertificatePath,
        ["GradDescent__Cluster__Tls__KeyPath"] = KeyPath,
        ["GradDescent__Cluster__Tls__CaPath"] = CaPath,
    };

    /// <summary>Runs <c>graddescent certs create</c> into <paramref name="directory"/>; fails the test if it does not succeed.</summary>
    public static async Task CreateAsync(string directory)
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(["certs", "create", directory], timeout: TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, $"graddescent certs create failed ({exitCode}):\n{stderr}");
    }

    /// <summary>The certificate and key of <paramref name="directory"/>, as a process of the cluster presents them.</summary>
    public static X509Certificate2 Load(string directory) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(directory, "tls.crt"), Path.Combine(directory, "tls.key"));

    public X509Certificate2 Load() => Load(folder.Path);

    public Task InitializeAsync() => CreateAsync(folder.Path);

    public Task DisposeAsync()
    {
        folder.Dispose();
        return Task.CompletedTask;
    }
}
