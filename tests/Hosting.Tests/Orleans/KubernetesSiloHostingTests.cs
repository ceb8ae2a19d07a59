using System.Net;
using GradDescent.Hosting.Orleans;
using GradDescent.Hosting.Tls;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace GradDescent.Hosting.Tests.Orleans;

/// <summary>
/// The cluster silo's builder on and off Kubernetes, inspected without starting anything: in a pod (configuration has
/// KUBERNETES_SERVICE_HOST and the downward-API POD_* values) it adds Orleans' Kubernetes hosting and advertises the pod
/// IP, which also makes TLS required; elsewhere nothing changes.
/// </summary>
public sealed class KubernetesSiloHostingTests
{
    private static readonly Dictionary<string, string?> Pod = new()
    {
        ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1",
        ["POD_NAME"] = "graddescent-silo-0",
        ["POD_IP"] = "10.244.1.17",
        ["POD_NAMESPACE"] = "graddescent",
    };

    [Fact]
    public void AddGradDescentClusterSilo_InAPod_RegistersKubernetesHostingAndAdvertisesThePodIP()
    {
        var builder = Builder(Pod);

        builder.AddGradDescentClusterSilo();

        Assert.Contains(builder.Services, IsKubernetesHosting);
        using var host = builder.Build();
        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Parse("10.244.1.17"), endpoints.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), endpoints.GatewayListeningEndpoint);
    }

    [Fact]
    public void AddGradDescentClusterSilo_InAPodWithoutCertificates_RefusesToStartNamingTheCertificatePath()
    {
        var builder = Builder(Pod);
        builder.AddGradDescentClusterSilo();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ClusterTlsOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("GradDescent:Cluster:Tls:CertificatePath: required because this silo runs on Kubernetes", StringComparison.Ordinal));
    }

    [Fact]
    public void AddGradDescentClusterSilo_OutsideKubernetes_AddsNoKubernetesHostingAndStaysOnLoopbackWithoutTls()
    {
        var builder = Builder(new Dictionary<string, string?> { ["POD_IP"] = "10.244.1.17" });

        builder.AddGradDescentClusterSilo();

        Assert.DoesNotContain(builder.Services, IsKubernetesHosting);
        using var host = builder.Build();
        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Null(endpoints.SiloListeningEndpoint);
        Assert.Null(endpoints.GatewayListeningEndpoint);
        Assert.Equal(ClusterTlsMode.Auto, host.Services.GetRequiredService<IOptions<ClusterTlsOptions>>().Value.Mode);
    }

    [Fact]
    public void AddGradDescentClusterSilo_InAPodWithAdvertisedAddress_AdvertisesTheSetting()
    {
        var builder = Builder(new Dictionary<string, string?>(Pod) { ["GradDescent:Cluster:AdvertisedAddress"] = "10.0.0.9" });

        builder.AddGradDescentClusterSilo();

        using var host = builder.Build();
        Assert.Equal(IPAddress.Parse("10.0.0.9"), host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.AdvertisedIPAddress);
    }

    /// <summary>A service of Orleans' Kubernetes hosting (its options set-up and validation), not its serializer metadata.</summary>
    private static bool IsKubernetesHosting(ServiceDescriptor descriptor) =>
        descriptor.ImplementationType?.Namespace == typeof(global::Orleans.Hosting.Kubernetes.KubernetesHostingOptions).Namespace;

    private static HostApplicationBuilder Builder(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GradDescent:Database:ConnectionString"] = "Host=127.0.0.1;Database=graddescent",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
