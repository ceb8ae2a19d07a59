using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>
/// Only the control silo reaches the Kubernetes API, with exactly what Orleans' Kubernetes hosting needs on
/// pods of its own namespace (get, list, watch, patch, delete); every other pod runs without an API token.
/// </summary>
public sealed class RbacTests
{
    private static readonly string[] HostingVerbs = ["delete", "get", "list", "patch", "watch"];

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Rbac_Overlay_GrantsTheSiloExactlyTheKubernetesHostingVerbsOnPods(string overlay)
    {
        var manifests = Overlays.Render(overlay);

        Assert.Empty(manifests.All<V1ClusterRole>());
        Assert.Empty(manifests.All<V1ClusterRoleBinding>());
        var role = Assert.Single(manifests.All<V1Role>());
        var rule = Assert.Single(role.Rules);
        Assert.Equal([string.Empty], rule.ApiGroups);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(HostingVerbs, rule.Verbs.Order(StringComparer.Ordinal));
        Assert.Null(rule.ResourceNames);

        var binding = Assert.Single(manifests.All<V1RoleBinding>());
        Assert.Equal(("Role", role.Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", "graddescent-silo", Overlays.Namespace), (subject.Kind, subject.Name, subject.NamespaceProperty));
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Rbac_Silo_RunsAsTheBoundServiceAccountWithItsToken(string overlay)
    {
        var silo = Overlays.Render(overlay).Workload("graddescent-silo");

        Assert.Equal("graddescent-silo", silo.Pod.ServiceAccountName);
        Assert.True(silo.Pod.AutomountServiceAccountToken);
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Rbac_EveryOtherPod_MountsNoApiToken(string overlay)
    {
        var manifests = Overlays.Render(overlay);
        foreach (var workload in manifests.Workloads.Where(w => w.Component != "silo"))
        {
            Assert.True(workload.Pod.AutomountServiceAccountToken is false, $"{workload.Id} mounts a Kubernetes API token");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Rbac_EveryServiceAccountAPodNames_IsRendered(string overlay)
    {
        var manifests = Overlays.Render(overlay);
        foreach (var workload in manifests.Workloads.Where(w => w.Pod.ServiceAccountName is not null))
        {
            Assert.True(manifests.Find<V1ServiceAccount>(workload.Pod.ServiceAccountName) is not null, $"{workload.Id} runs as missing ServiceAccount {workload.Pod.ServiceAccountName}");
        }

        Assert.All(manifests.Workloads.Where(w => w.Component is { } c && ManifestLabels.ClusterMembers.Contains(c)), w => Assert.NotNull(w.Pod.ServiceAccountName));
    }
}
