using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>GradDescent containers get only configuration keys the product knows, Orleans' Kubernetes variables, and consistent values.</summary>
public sealed class EnvironmentTests
{
    [Theory]
    [MemberData(nameof(Overlays.NamesWithExamples), MemberType = typeof(Overlays))]
    public void Environment_GradDescentContainers_UseOnlyKnownKeys(string kustomization)
    {
        foreach (var (workload, container) in GradDescentContainers(kustomization))
        {
            foreach (var variable in container.Env ?? [])
            {
                Assert.True(ConfigurationKeys.IsKnown(variable.Name), $"{workload.Id} container {container.Name}: {variable.Name} is not a configuration key GradDescent knows");
            }

            Assert.True(container.EnvFrom is null or { Count: 0 }, $"{workload.Id}: envFrom hides which keys a container gets");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.NamesWithExamples), MemberType = typeof(Overlays))]
    public void Environment_References_NameVariablesDefinedBefore(string kustomization)
    {
        foreach (var (workload, container) in GradDescentContainers(kustomization))
        {
            var defined = new HashSet<string>(StringComparer.Ordinal);
            foreach (var variable in container.Env ?? [])
            {
                foreach (var reference in ContainerEnvironment.References(variable.Value ?? string.Empty))
                {
                    Assert.True(defined.Contains(reference), $"{workload.Id}: {variable.Name} refers to $({reference}) before it is defined");
                }

                Assert.True(defined.Add(variable.Name), $"{workload.Id}: {variable.Name} is set twice");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.NamesWithExamples), MemberType = typeof(Overlays))]
    public void Environment_EveryGradDescentContainer_ResolvesFromTheRenderedObjects(string kustomization)
    {
        var manifests = Render(kustomization);
        foreach (var (workload, container) in GradDescentContainers(kustomization))
        {
            var env = ContainerEnvironment.Resolve(manifests, workload, container, Overlays.PodFactsFor(workload));

            Assert.StartsWith("Host=", env["GradDescent__Database__ConnectionString"], StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.NamesWithExamples), MemberType = typeof(Overlays))]
    public void Environment_ClusterMembers_GetOrleansIdentityAndTheDownwardApi(string kustomization)
    {
        var manifests = Render(kustomization);
        var members = manifests.Workloads.Where(w => w.Component is { } c && ManifestLabels.ClusterMembers.Contains(c)).ToList();

        Assert.NotEmpty(members);
        foreach (var workload in members)
        {
            var container = workload.Pod.Containers.Single();
            var byName = container.Env.ToDictionary(v => v.Name);
            Assert.Equal("metadata.name", byName["POD_NAME"].ValueFrom.FieldRef.FieldPath);
            Assert.Equal("metadata.namespace", byName["POD_NAMESPACE"].ValueFrom.FieldRef.FieldPath);
            Assert.Equal("status.podIP", byName["POD_IP"].ValueFrom.FieldRef.FieldPath);

            var env = ContainerEnvironment.Resolve(manifests, workload, container, Overlays.PodFactsFor(workload));
            Assert.Equal(env["GradDescent__Cluster__ServiceId"], env["ORLEANS_SERVICE_ID"]);
            Assert.Equal(env["GradDescent__Cluster__ClusterId"], env["ORLEANS_CLUSTER_ID"]);
            Assert.Equal(Overlays.PodFactsFor(workload).Ip, env["POD_IP"]);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Environment_Silo_HasPodLabelsEqualToItsOrleansIdentityAndAdvertisesThePodIp(string overlay)
    {
        var manifests = Render(overlay);
        var silo = manifests.Workload("graddescent-silo");
        var container = silo.Pod.Containers.Single();
        var env = ContainerEnvironment.Resolve(manifests, silo, container, Overlays.PodFactsFor(silo));

        Assert.Equal(env["ORLEANS_SERVICE_ID"], silo.PodLabels[ManifestLabels.OrleansServiceId]);
        Assert.Equal(env["ORLEANS_CLUSTER_ID"], silo.PodLabels[ManifestLabels.OrleansClusterId]);
        Assert.Equal(Overlays.PodFactsFor(silo).Ip, env["GradDescent__Cluster__AdvertisedAddress"]);
        Assert.Equal(env["GradDescent__Cluster__SiloPort"], Port(container, "silo"));
        Assert.Equal(env["GradDescent__Cluster__GatewayPort"], Port(container, "gateway"));
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Environment_OnlySiloPods_CarryOrleansLabels(string overlay)
    {
        // Kubernetes hosting treats every pod with these labels as a silo of the cluster.
        foreach (var workload in Render(overlay).Workloads.Where(w => w.Component != "silo"))
        {
            Assert.False(workload.PodLabels.ContainsKey(ManifestLabels.OrleansServiceId), $"{workload.Id} carries {ManifestLabels.OrleansServiceId}");
            Assert.False(workload.PodLabels.ContainsKey(ManifestLabels.OrleansClusterId), $"{workload.Id} carries {ManifestLabels.OrleansClusterId}");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Environment_TelemetryPort_IsTheContainersMetricsPortOnAllInterfaces(string overlay)
    {
        var manifests = Render(overlay);
        foreach (var workload in manifests.Workloads.Where(w => w.Component is "silo" or "worker"))
        {
            var container = workload.Pod.Containers.Single();
            var env = ContainerEnvironment.Resolve(manifests, workload, container, Overlays.PodFactsFor(workload));

            Assert.Equal(Port(container, "metrics"), env["GradDescent__Telemetry__Port"]);
            Assert.Equal(workload.Component == "silo" ? "9464" : "9465", env["GradDescent__Telemetry__Port"]);
            Assert.Equal("0.0.0.0", env["GradDescent__Telemetry__Host"]);
        }

        var dashboard = manifests.Workload("graddescent-dashboard");
        var dashboardEnv = ContainerEnvironment.Resolve(manifests, dashboard, dashboard.Pod.Containers[0], Overlays.PodFactsFor(dashboard));
        Assert.Equal($"http://0.0.0.0:{Port(dashboard.Pod.Containers[0], "http")}", dashboardEnv["GradDescent__Dashboard__Urls"]);
    }

    [Fact]
    public void Expand_References_FollowKubernetesRules()
    {
        var defined = new Dictionary<string, string> { ["POD_IP"] = "10.0.0.7" };

        Assert.Equal("10.0.0.7:11111", ContainerEnvironment.Expand("$(POD_IP):11111", defined));
        Assert.Equal("$(UNDEFINED)", ContainerEnvironment.Expand("$(UNDEFINED)", defined));
        Assert.Equal("$(POD_IP)", ContainerEnvironment.Expand("$$(POD_IP)", defined));
        Assert.Equal(["POD_IP"], ContainerEnvironment.References("$(POD_IP) $$(NOT_A_REFERENCE)"));
    }

    private static string Port(V1Container container, string name) =>
        container.Ports.Single(p => p.Name == name).ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The kustomization with what it expects beside it: the operator-created Secret for production, the dev
    /// overlay's ConfigMaps and Secrets for the example.
    /// </summary>
    private static ManifestSet Render(string kustomization) => kustomization switch
    {
        Overlays.Examples => Overlays.RenderExamples().With([.. Overlays.Render(Overlays.Dev).Objects.Where(o => o is V1ConfigMap or V1Secret)]),
        Overlays.Production => Overlays.Render(kustomization).With(ExternalSecrets.Database),
        _ => Overlays.Render(kustomization),
    };

    private static IEnumerable<(Workload Workload, V1Container Container)> GradDescentContainers(string kustomization) =>
        Render(kustomization).Workloads.SelectMany(w => w.AllContainers.Where(Overlays.IsGradDescent).Select(c => (w, c)));
}
