using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>
/// Every pod meets Pod Security's "restricted" profile (the namespaces enforce it): non-root, no privilege
/// escalation, all capabilities dropped, RuntimeDefault seccomp, no host namespaces, only the restricted
/// volume types; plus a read-only root filesystem with an emptyDir for temporary files.
/// </summary>
public sealed class PodSecurityTests
{
    private static readonly string[] AllowedVolumeKinds = ["configMap", "emptyDir", "secret", "persistentVolumeClaim", "projected", "downwardAPI"];

    [Theory]
    [MemberData(nameof(Overlays.NamesWithExamples), MemberType = typeof(Overlays))]
    public void Pods_Every_MeetsTheRestrictedProfile(string kustomization)
    {
        foreach (var workload in Overlays.Render(kustomization).Workloads)
        {
            Assert.Empty(Violations(workload));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.NamesWithExamples), MemberType = typeof(Overlays))]
    public void Pods_GradDescentContainers_WriteOnlyToAnEmptyDirUnderTmp(string kustomization)
    {
        foreach (var workload in Overlays.Render(kustomization).Workloads)
        {
            foreach (var container in workload.AllContainers.Where(Overlays.IsGradDescent))
            {
                var tmp = container.VolumeMounts?.SingleOrDefault(m => m.MountPath == "/tmp");
                Assert.True(tmp is not null, $"{workload.Id} container {container.Name} mounts nothing at /tmp");
                Assert.NotNull(workload.Pod.Volumes.Single(v => v.Name == tmp.Name).EmptyDir);
                Assert.Equal(1654, workload.Pod.SecurityContext.RunAsUser);
            }
        }
    }

    [Fact]
    public void Violations_PrivilegedRootPodWithHostPath_AreAllReported()
    {
        var pod = new V1PodTemplateSpec
        {
            Spec = new V1PodSpec
            {
                HostNetwork = true,
                Containers = [new V1Container { Name = "bad", Image = "x:1", SecurityContext = new V1SecurityContext { Privileged = true } }],
                Volumes = [new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/" } }],
            },
        };

        var violations = Violations(new Workload("Deployment", new V1ObjectMeta { Name = "bad" }, pod, 1));

        Assert.Equal(9, violations.Count);
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Namespace_Overlay_EnforcesTheRestrictedProfile(string overlay)
    {
        var labels = Overlays.Render(overlay).Get<V1Namespace>(Overlays.Namespace).Metadata.Labels;

        Assert.Equal("restricted", labels["pod-security.kubernetes.io/enforce"]);
    }

    private static List<string> Violations(Workload workload)
    {
        var violations = new List<string>();
        var pod = workload.Pod;
        var podContext = pod.SecurityContext;
        void Check(bool ok, string what)
        {
            if (!ok)
            {
                violations.Add($"{workload.Id}: {what}");
            }
        }

        Check(pod.HostNetwork is not true && pod.HostPID is not true && pod.HostIPC is not true, "uses a host namespace");
        Check(podContext?.SeccompProfile?.Type == "RuntimeDefault", "pod seccomp profile is not RuntimeDefault");
        Check(podContext?.RunAsUser is > 0, "pod runAsUser is not a non-root UID");
        foreach (var volume in pod.Volumes ?? [])
        {
            var kinds = VolumeKinds(volume);
            Check(kinds.All(AllowedVolumeKinds.Contains), $"volume {volume.Name} is {string.Join(",", kinds)}");
        }

        foreach (var container in workload.AllContainers)
        {
            var context = container.SecurityContext;
            var name = $"container {container.Name}";
            Check((context?.RunAsNonRoot ?? podContext?.RunAsNonRoot) is true, $"{name} may run as root (runAsNonRoot)");
            Check(context?.Privileged is not true, $"{name} is privileged");
            Check(context?.AllowPrivilegeEscalation is false, $"{name} allows privilege escalation");
            Check(context?.Capabilities?.Drop?.Contains("ALL") is true && (context.Capabilities.Add ?? []).All(c => c == "NET_BIND_SERVICE"), $"{name} keeps capabilities");
            Check(context?.ReadOnlyRootFilesystem is true, $"{name} has a writable root filesystem");
        }

        return violations;
    }

    private static List<string> VolumeKinds(V1Volume volume) =>
        [.. typeof(V1Volume).GetProperties()
            .Where(p => p.Name != nameof(V1Volume.Name) && p.GetValue(volume) is not null)
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])];
}
