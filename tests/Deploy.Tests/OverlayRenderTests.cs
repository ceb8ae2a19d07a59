using System.Text.RegularExpressions;
using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>Each kustomization renders with kubectl kustomize and loads strictly into typed objects.</summary>
public sealed partial class OverlayRenderTests
{
    [Fact]
    public void Render_Dev_HoldsTheLaptopStack() =>
        Assert.Equal(
            [
                "ConfigMap/graddescent-cluster", "ConfigMap/graddescent-grafana-dashboards", "ConfigMap/graddescent-prometheus-rules-<hash>",
                "ConfigMap/grafana-provisioning-<hash>", "ConfigMap/prometheus-config-<hash>",
                "Deployment/graddescent-dashboard", "Deployment/graddescent-silo", "Deployment/graddescent-worker-cpu", "Deployment/grafana",
                "Deployment/prometheus",
                "Job/graddescent-schema",
                "Namespace/graddescent",
                "NetworkPolicy/graddescent-dashboard", "NetworkPolicy/graddescent-jobs", "NetworkPolicy/graddescent-silo",
                "NetworkPolicy/graddescent-worker", "NetworkPolicy/postgres",
                "Role/graddescent-silo", "RoleBinding/graddescent-silo",
                "Secret/graddescent-database",
                "Service/graddescent-dashboard", "Service/graddescent-silo", "Service/graddescent-worker", "Service/grafana",
                "Service/postgres", "Service/prometheus",
                "ServiceAccount/graddescent-client", "ServiceAccount/graddescent-dashboard", "ServiceAccount/graddescent-silo",
                "ServiceAccount/graddescent-worker", "ServiceAccount/grafana", "ServiceAccount/prometheus",
                "StatefulSet/postgres",
            ],
            KindsAndNames(Overlays.Render(Overlays.Dev)));

    [Fact]
    public void Render_Production_HoldsTheProductionStack() =>
        Assert.Equal(
            [
                "ConfigMap/graddescent-cluster", "ConfigMap/graddescent-grafana-dashboards",
                "Deployment/graddescent-dashboard", "Deployment/graddescent-silo", "Deployment/graddescent-worker-cpu",
                "Deployment/graddescent-worker-gpu",
                "Ingress/graddescent-dashboard",
                "Job/graddescent-schema",
                "Namespace/graddescent",
                "NetworkPolicy/graddescent-dashboard", "NetworkPolicy/graddescent-jobs", "NetworkPolicy/graddescent-silo",
                "NetworkPolicy/graddescent-worker",
                "PodDisruptionBudget/graddescent-silo",
                "PrometheusRule/graddescent",
                "Role/graddescent-silo", "RoleBinding/graddescent-silo",
                "ScaledObject/graddescent-worker-cpu",
                "Service/graddescent-dashboard", "Service/graddescent-silo", "Service/graddescent-worker",
                "ServiceAccount/graddescent-client", "ServiceAccount/graddescent-dashboard", "ServiceAccount/graddescent-silo",
                "ServiceAccount/graddescent-worker",
                "ServiceMonitor/graddescent-dashboard", "ServiceMonitor/graddescent-silo", "ServiceMonitor/graddescent-worker",
            ],
            KindsAndNames(Overlays.Render(Overlays.Production)));

    [Fact]
    public void Render_Examples_HoldsTheSweepJobAndItsSpec()
    {
        var kinds = KindsAndNames(Overlays.RenderExamples());

        Assert.Equal(["ConfigMap/graddescent-sweep-specs-<hash>", "Job/graddescent-sweep-seed-optimizers"], kinds);
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Render_Overlay_PutsEveryObjectIntoTheNamespace(string overlay)
    {
        foreach (var o in Overlays.Render(overlay).Objects.Where(o => o is not V1Namespace))
        {
            Assert.True(o.Metadata.NamespaceProperty == Overlays.Namespace, $"{o.Kind}/{o.Metadata.Name} is in namespace '{o.Metadata.NamespaceProperty}'");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Render_Overlay_LabelsEveryObjectAndPod(string overlay)
    {
        var manifests = Overlays.Render(overlay);
        foreach (var o in manifests.Objects)
        {
            AssertLabels($"{o.Kind}/{o.Metadata.Name}", o.Metadata.Labels);
        }

        foreach (var workload in manifests.Workloads)
        {
            AssertLabels($"pods of {workload.Id}", workload.PodLabels);
        }

        foreach (var claim in manifests.All<V1StatefulSet>().SelectMany(s => s.Spec.VolumeClaimTemplates ?? []))
        {
            AssertLabels($"claim {claim.Metadata.Name}", claim.Metadata.Labels);
        }
    }

    [Fact]
    public void Parse_MisspeltFieldOfABuiltInKind_Fails()
    {
        var yaml = Kustomize.RenderYaml(RepositoryLayout.Overlay(Overlays.Dev));
        Assert.Contains("imagePullPolicy:", yaml, StringComparison.Ordinal);

        var error = Assert.ThrowsAny<Exception>(() => ManifestSet.Parse("misspelt", yaml.Replace("imagePullPolicy:", "imagePullPolicyy:", StringComparison.Ordinal)));
        Assert.Contains("imagePullPolicyy", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("endpoints:", "endpoint:")]
    [InlineData("scaleTargetRef:", "scaleTargetReference:")]
    [InlineData("  groups:", "  group:")]
    public void Parse_MisspeltFieldOfACustomKind_Fails(string field, string misspelt)
    {
        var yaml = Kustomize.RenderYaml(RepositoryLayout.Overlay(Overlays.Production));
        Assert.Contains(field, yaml, StringComparison.Ordinal);

        Assert.ThrowsAny<Exception>(() => ManifestSet.Parse("misspelt", yaml.Replace(field, misspelt, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("isCA:", "isCa:")]
    [InlineData("selfSigned:", "selfsigned:")]
    [InlineData("rotationPolicy:", "rotation:")]
    public void Parse_MisspeltFieldOfACertManagerKind_Fails(string field, string misspelt)
    {
        var yaml = Overlays.RenderProductionWithCertManagerYaml();
        Assert.Contains(field, yaml, StringComparison.Ordinal);

        Assert.ThrowsAny<Exception>(() => ManifestSet.Parse("misspelt", yaml.Replace(field, misspelt, StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_UnknownKind_Fails()
    {
        const string yaml = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n";

        Assert.ThrowsAny<Exception>(() => ManifestSet.Parse("unknown kind", yaml));
    }

    private static void AssertLabels(string what, IDictionary<string, string>? labels)
    {
        Assert.True(labels is not null, $"{what} has no labels");
        Assert.True(labels.TryGetValue(ManifestLabels.Name, out var name) && name == ManifestLabels.AppName, $"{what}: {ManifestLabels.Name} is not graddescent");
        Assert.True(labels.TryGetValue(ManifestLabels.PartOf, out var partOf) && partOf == ManifestLabels.AppName, $"{what}: {ManifestLabels.PartOf} is not graddescent");
        Assert.True(labels.TryGetValue(ManifestLabels.Component, out var component) && component.Length > 0, $"{what} has no {ManifestLabels.Component}");
    }

    /// <summary>"Kind/name", sorted; a kustomize content-hash suffix of a generated ConfigMap or Secret shows as "-&lt;hash&gt;".</summary>
    private static List<string> KindsAndNames(ManifestSet manifests) =>
        [.. manifests.Objects.Select(o => $"{o.Kind}/{(o.Kind is "ConfigMap" or "Secret" ? HashSuffix().Replace(o.Metadata.Name, "-<hash>") : o.Metadata.Name)}").Order(StringComparer.Ordinal)];

    // kustomize encodes the hash in 0-9a-f with 0, 1, 3, a, e replaced by g, h, k, m, t.
    [GeneratedRegex("-[24-9bcdfghkmt]{10}$")]
    private static partial Regex HashSuffix();
}
