using System.Net;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace GradDescent.Hosting.Orleans;

/// <summary>
/// Orleans' Kubernetes hosting for a silo in a pod (<c>KUBERNETES_SERVICE_HOST</c> set): the silo is named after
/// <c>POD_NAME</c> and advertises <c>POD_IP</c> (unless <c>GradDescent__Cluster__AdvertisedAddress</c> says otherwise),
/// listening on every address, and watches the cluster's pods so the pod of a dead silo is noticed at once (and a
/// silo whose pod is gone is declared dead). Membership stays in PostgreSQL. Both values are read from configuration
/// (the downward-API environment variables); the package itself also reads <c>POD_NAMESPACE</c> and <c>POD_NAME</c>
/// from the environment for its pod watch.
/// </summary>
public static class KubernetesSiloHosting
{
    public const string ServiceHostKey = "KUBERNETES_SERVICE_HOST";
    public const string PodNameKey = "POD_NAME";
    public const string PodIPKey = "POD_IP";
    public const string PodNamespaceKey = "POD_NAMESPACE";

    /// <summary>Whether this process runs in a Kubernetes pod.</summary>
    public static bool IsKubernetes(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[ServiceHostKey]);
    }

    /// <summary>The pod's IP address, if <c>POD_IP</c> holds one.</summary>
    public static IPAddress? PodIP(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return IPAddress.TryParse(configuration[PodIPKey], out var address) ? address : null;
    }

    internal static void Add(ISiloBuilder silo, IConfiguration configuration)
    {
        silo.UseKubernetesHosting();
        if (configuration[PodNameKey] is { Length: > 0 } podName)
        {
            silo.Configure<SiloOptions>(o => o.SiloName = podName);
        }
    }
}
