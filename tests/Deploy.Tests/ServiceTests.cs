using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Testing.CustomResources;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>Services, the Ingress and ServiceMonitors point at pods and ports that exist.</summary>
public sealed class ServiceTests
{
    /// <summary>CONTRACT.md: scrape job names (a ServiceMonitor's job label is its Service's name).</summary>
    private static readonly string[] JobNames = ["graddescent-dashboard", "graddescent-silo", "graddescent-worker"];

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Services_EveryPort_ExistsOnEveryContainerTheServiceSelects(string overlay)
    {
        var manifests = Overlays.Render(overlay);
        foreach (var service in manifests.All<V1Service>())
        {
            var pods = manifests.Workloads.Where(w => w.Kind != "Job" && LabelSelectors.Matches(service.Spec.Selector, w.PodLabels)).ToList();
            Assert.True(pods.Count > 0, $"Service {service.Metadata.Name} selects no pods");
            foreach (var port in service.Spec.Ports)
            {
                foreach (var pod in pods)
                {
                    var containerPorts = pod.Pod.Containers.SelectMany(c => c.Ports ?? []).ToList();
                    var target = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(
                        containerPorts.Any(p => p.Name == target || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == target),
                        $"Service {service.Metadata.Name} port {port.Name} targets {target}, which {pod.Id} does not expose");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Services_ForMetrics_ReachEveryPodAndAreNamedAfterTheirScrapeJob(string overlay)
    {
        var manifests = Overlays.Render(overlay);
        foreach (var name in new[] { "graddescent-silo", "graddescent-worker" })
        {
            var service = manifests.Get<V1Service>(name);
            Assert.Equal("None", service.Spec.ClusterIP);
            Assert.True(service.Spec.PublishNotReadyAddresses);
        }

        Assert.Equal(JobNames, manifests.All<V1Service>().Select(s => s.Metadata.Name).Where(n => n.StartsWith("graddescent-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ServiceMonitors_Production_SelectOneServiceEachThroughANamedPort()
    {
        var manifests = Overlays.Render(Overlays.Production);
        var monitors = manifests.All<ServiceMonitor>().ToList();

        Assert.Equal(JobNames, monitors.Select(m => m.Metadata.Name).Order(StringComparer.Ordinal));
        foreach (var monitor in monitors)
        {
            var service = Assert.Single(manifests.All<V1Service>(), s => LabelSelectors.Matches(monitor.Spec.Selector, s.Metadata.Labels));
            Assert.Equal(monitor.Metadata.Name, service.Metadata.Name);
            Assert.Null(monitor.Spec.JobLabel);
            var endpoint = Assert.Single(monitor.Spec.Endpoints);
            Assert.Equal("/metrics", endpoint.Path);
            Assert.Contains(service.Spec.Ports, p => p.Name == endpoint.Port);
        }
    }

    [Fact]
    public void Ingress_Production_RoutesToTheDashboardServicePort()
    {
        var manifests = Overlays.Render(Overlays.Production);
        var ingress = manifests.Get<V1Ingress>("graddescent-dashboard");
        var backend = Assert.Single(Assert.Single(ingress.Spec.Rules).Http.Paths).Backend.Service;

        var service = manifests.Get<V1Service>(backend.Name);
        Assert.Contains(service.Spec.Ports, p => p.Name == backend.Port.Name);
        Assert.Equal(Assert.Single(ingress.Spec.Rules).Host, Assert.Single(Assert.Single(ingress.Spec.Tls).Hosts));
    }

    [Fact]
    public void DisruptionBudget_Production_KeepsOneOfTwoSilos()
    {
        var manifests = Overlays.Render(Overlays.Production);
        var budget = manifests.Get<V1PodDisruptionBudget>("graddescent-silo");
        var silo = manifests.Workload("graddescent-silo");

        Assert.Equal(2, silo.Replicas);
        Assert.Equal("1", budget.Spec.MinAvailable.Value);
        Assert.True(LabelSelectors.Matches(budget.Spec.Selector, silo.PodLabels));
        Assert.DoesNotContain(manifests.Workloads, w => w != silo && w.Kind != "Job" && LabelSelectors.Matches(budget.Spec.Selector, w.PodLabels));
    }
}
