using GradDescent.Hosting.Tls;

namespace GradDescent.Hosting.Tests.Tls;

/// <summary>When TLS is on, and which settings refuse to start: the policy of <see cref="ClusterTlsMode"/>.</summary>
public sealed class ClusterTlsOptionsValidatorTests
{
    private const string Exposed = "this silo listens on every address (GradDescent__Cluster__AdvertisedAddress is '10.0.0.7')";

    private static readonly ClusterTlsScope ExposedSilo = new(serves: true, () => Exposed);

    [Fact]
    public void Auto_LoopbackSiloWithoutCertificates_IsValidAndOff()
    {
        var options = new ClusterTlsOptions();

        Assert.True(Validate(ClusterTlsScope.LoopbackSilo, options).Succeeded);
        Assert.False(ClusterTlsScope.LoopbackSilo.IsEnabled(options));
        Assert.False(ClusterTlsScope.Client.IsEnabled(options));
    }

    [Fact]
    public void Auto_ExposedSiloWithoutCertificates_FailsNamingTheThreePathsAndWhy()
    {
        var result = Validate(ExposedSilo, new ClusterTlsOptions());

        Assert.True(result.Failed);
        Assert.Equal(
            ["GradDescent:Cluster:Tls:CertificatePath", "GradDescent:Cluster:Tls:KeyPath", "GradDescent:Cluster:Tls:CaPath"],
            result.Failures!.Select(f => f.Split(": ", 2)[0]));
        Assert.All(result.Failures!, f => Assert.Contains($"required because {Exposed}", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Off_ExposedSilo_FailsNamingTheMode()
    {
        var result = Validate(ExposedSilo, new ClusterTlsOptions { Mode = ClusterTlsMode.Off });

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("GradDescent:Cluster:Tls:Mode: 'off' is allowed only on a silo that listens on loopback", failure, StringComparison.Ordinal);
        Assert.Contains(Exposed, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Off_LoopbackSiloAndClient_AreValid()
    {
        var options = new ClusterTlsOptions { Mode = ClusterTlsMode.Off };

        Assert.True(Validate(ClusterTlsScope.LoopbackSilo, options).Succeeded);
        Assert.True(Validate(ClusterTlsScope.Client, options).Succeeded);
    }

    [Fact]
    public void Required_ClientWithoutCertificates_FailsNamingTheMode()
    {
        var result = Validate(ClusterTlsScope.Client, new ClusterTlsOptions { Mode = ClusterTlsMode.Required });

        Assert.Equal(3, result.Failures!.Count());
        Assert.All(result.Failures!, f => Assert.Contains("required because GradDescent__Cluster__Tls__Mode is 'required'", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Auto_OnlyCaPathSet_TurnsTlsOnAndNamesTheMissingTwo()
    {
        using var files = new TestCertificates();
        var options = new ClusterTlsOptions { CaPath = files.CaPath };

        var result = Validate(ClusterTlsScope.Client, options);

        Assert.True(ClusterTlsScope.Client.IsEnabled(options));
        Assert.Equal(["GradDescent:Cluster:Tls:CertificatePath", "GradDescent:Cluster:Tls:KeyPath"], result.Failures!.Select(f => f.Split(": ", 2)[0]));
    }

    [Theory]
    [InlineData(ClusterTlsMode.Auto)]
    [InlineData(ClusterTlsMode.Required)]
    public void CertificatesOfCertsCreate_AnyScope_AreValidAndOn(ClusterTlsMode mode)
    {
        using var files = new TestCertificates();
        var options = files.Options(mode);

        foreach (var scope in new[] { ExposedSilo, ClusterTlsScope.LoopbackSilo, ClusterTlsScope.Client })
        {
            Assert.True(Validate(scope, options).Succeeded);
            Assert.True(scope.IsEnabled(options));
        }
    }

    [Fact]
    public void Auto_ExposedSiloWithUnreadableKey_FailsWithTheLoadProblem()
    {
        using var files = new TestCertificates();
        var options = files.Options();
        options.KeyPath = files.CaPath;

        var failure = Assert.Single(Validate(ExposedSilo, options).Failures!);

        Assert.StartsWith("GradDescent:Cluster:Tls:KeyPath: ", failure, StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(ClusterTlsScope scope, ClusterTlsOptions options) =>
        new ClusterTlsOptionsValidator(scope, TimeProvider.System).Validate(name: null, options);
}
