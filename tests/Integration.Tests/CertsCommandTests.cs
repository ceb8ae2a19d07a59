using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using GradDescent.Integration.Tests.Infrastructure;
using Xunit;

namespace GradDescent.Integration.Tests;

/// <summary><c>graddescent certs create</c>: four PEM files, keys private, nothing replaced unasked, bad input exits 2 writing nothing.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class CertsCommandTests
{
    private static readonly string[] Files = ["ca.crt", "ca.key", "tls.crt", "tls.key"];

    [Fact]
    public async Task Create_NewFolder_WritesCaAndCertificateWithPrivateKeysAndPrintsTheSettings()
    {
        using var folder = new TempFolder();
        var target = folder.File("tls");

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(["certs", "create", target, "--hosts", "silo.internal,10.0.0.5", "--days", "30"]);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(Files, Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(target, "ca.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(target, "tls.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(target));
        Assert.Contains($"export GradDescent__Cluster__Tls__CertificatePath={Path.Combine(target, "tls.crt")}", stdout, StringComparison.Ordinal);
        Assert.Contains($"export GradDescent__Cluster__Tls__KeyPath={Path.Combine(target, "tls.key")}", stdout, StringComparison.Ordinal);
        Assert.Contains($"export GradDescent__Cluster__Tls__CaPath={Path.Combine(target, "ca.crt")}", stdout, StringComparison.Ordinal);

        using var certificate = ClusterCertificatesFixture.Load(target);
        Assert.True(certificate.HasPrivateKey);
        var names = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Contains("silo.internal", names.EnumerateDnsNames());
        Assert.Contains(System.Net.IPAddress.Parse("10.0.0.5"), names.EnumerateIPAddresses());
        Assert.InRange((certificate.NotAfter - DateTime.Now).TotalDays, 29, 30.1);
    }

    [Fact]
    public async Task Create_FolderWithCertificates_ExitsTwoKeepingThemUnlessForced()
    {
        using var folder = new TempFolder();
        await ClusterCertificatesFixture.CreateAsync(folder.Path);
        var before = Files.ToDictionary(f => f, f => File.ReadAllText(folder.File(f)));

        var refused = await CliProcess.RunAsync(["certs", "create", folder.Path]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("already holds ca.crt, ca.key, tls.crt, tls.key; --force replaces them", refused.Stderr, StringComparison.Ordinal);
        Assert.All(Files, f => Assert.Equal(before[f], File.ReadAllText(folder.File(f))));

        var forced = await CliProcess.RunAsync(["certs", "create", folder.Path, "--force"]);

        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.All(Files, f => Assert.NotEqual(before[f], File.ReadAllText(folder.File(f))));
        Assert.Equal(Files, Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("--hosts", "not a host", "--hosts: 'not a host' is neither an IP address nor a DNS name")]
    [InlineData("--days", "0", "option --days: expected a whole number from 1 to 3650")]
    [InlineData("--days", "many", "--days")]
    public async Task Create_BadInput_ExitsTwoNamingItAndWritesNothing(string option, string value, string message)
    {
        using var folder = new TempFolder();
        var target = folder.File("never");

        var (exitCode, _, stderr) = await CliProcess.RunAsync(["certs", "create", target, option, value]);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target), "a refused command must leave nothing behind");
    }
}
