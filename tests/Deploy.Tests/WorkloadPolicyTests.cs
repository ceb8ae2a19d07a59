using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>Probes, resources, termination grace and worker pools of every workload.</summary>
public sealed class WorkloadPolicyTests
{
    /// <summary>GradDescent__Sweeps__LeaseDuration's default (CONTRACT.md).</summary>
    private static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Probes_LongRunningContainers_HaveLivenessAndReadiness(string overlay)
    {
        foreach (var workload in Overlays.Render(overlay).Workloads.Where(w => w.Kind != "Job"))
        {
            foreach (var container in workload.Pod.Containers)
            {
                Assert.True(container.LivenessProbe is not null, $"{workload.Id} container {container.Name} has no liveness probe");
                Assert.True(container.ReadinessProbe is not null, $"{workload.Id} container {container.Name} has no readiness probe");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Probes_GradDescentContainers_UseHealthzAndReadyzOnTheTelemetryPort(string overlay)
    {
        var containers = Overlays.Render(overlay).Workloads.Where(w => w.Kind != "Job")
            .SelectMany(w => w.Pod.Containers.Where(Overlays.IsGradDescent).Select(c => (w, c))).ToList();

        Assert.NotEmpty(containers);
        foreach (var (workload, container) in containers)
        {
            var telemetryPort = container.Ports.Single(p => p.Name is "metrics" or "http");
            Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
            Assert.Equal("/healthz", container.StartupProbe?.HttpGet.Path);
            foreach (var probe in new[] { container.LivenessProbe, container.ReadinessProbe, container.StartupProbe })
            {
                Assert.True(telemetryPort.Name == probe!.HttpGet.Port.Value, $"{workload.Id}: a probe uses port {probe.HttpGet.Port.Value}, not {telemetryPort.Name}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.NamesWithExamples), MemberType = typeof(Overlays))]
    public void Resources_EveryContainer_RequestsAndLimitsCpuAndMemory(string kustomization)
    {
        foreach (var workload in Overlays.Render(kustomization).Workloads)
        {
            foreach (var container in workload.AllContainers)
            {
                var what = $"{workload.Id} container {container.Name}";
                var requests = container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
                var limits = container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(requests.ContainsKey(resource), $"{what} requests no {resource}");
                    Assert.True(limits.ContainsKey(resource), $"{what} has no {resource} limit");
                    Assert.True(requests[resource].ToDecimal() <= limits[resource].ToDecimal(), $"{what} requests more {resource} than its limit");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Workers_EveryPool_DrainsLongerThanTwoLeasesAndAlike(string overlay)
    {
        var manifests = Overlays.Render(overlay);
        var silo = manifests.Workload("graddescent-silo");
        var silos = ContainerEnvironment.Resolve(manifests.With(ExternalSecrets.Database), silo, silo.Pod.Containers[0], Overlays.PodFactsFor(silo));
        var lease = silos.TryGetValue("GradDescent__Sweeps__LeaseDuration", out var configured) ? TimeSpan.Parse(configured, System.Globalization.CultureInfo.InvariantCulture) : DefaultLeaseDuration;
        var pools = Workers(manifests).ToList();

        Assert.NotEmpty(pools);
        Assert.Single(pools.Select(w => w.Pod.TerminationGracePeriodSeconds).Distinct());
        Assert.All(pools, w => Assert.True(w.Pod.TerminationGracePeriodSeconds >= 2 * lease.TotalSeconds, $"{w.Id} gets {w.Pod.TerminationGracePeriodSeconds} s to drain, less than two {lease.TotalSeconds} s leases"));
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Workers_EveryPool_GetsTheWorkersDrainAndHandBackBeforeTheKill(string overlay)
    {
        var manifests = Overlays.Render(overlay).With(ExternalSecrets.Database);
        foreach (var pool in Workers(manifests))
        {
            var env = ContainerEnvironment.Resolve(manifests, pool, pool.Pod.Containers[0], Overlays.PodFactsFor(pool));
            var drain = env.TryGetValue("GradDescent__Worker__DrainTimeout", out var configured)
                ? TimeSpan.Parse(configured, System.Globalization.CultureInfo.InvariantCulture)
                : GradDescent.Workers.Runtime.WorkerOptions.WorkerCommandDrainTimeout;
            var grace = env.TryGetValue("GradDescent__Worker__ShutdownGrace", out var configuredGrace)
                ? TimeSpan.Parse(configuredGrace, System.Globalization.CultureInfo.InvariantCulture)
                : new GradDescent.Workers.Runtime.WorkerOptions().ShutdownGrace;
            var needed = drain + grace;

            Assert.Equal("worker", pool.Pod.Containers[0].Args[0]);
            Assert.True(pool.Pod.TerminationGracePeriodSeconds > needed.TotalSeconds, $"{pool.Id} is killed after {pool.Pod.TerminationGracePeriodSeconds} s, before its {drain.TotalSeconds} s drain and {grace.TotalSeconds} s for the last calls");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Workers_EveryPool_NamesItsPoolAndCachesInAWritableFolder(string overlay)
    {
        var manifests = Overlays.Render(overlay).With(ExternalSecrets.Database);
        foreach (var workload in Workers(manifests))
        {
            var env = ContainerEnvironment.Resolve(manifests, workload, workload.Pod.Containers[0], Overlays.PodFactsFor(workload));
            Assert.Equal(workload.PodLabels[ManifestLabels.Pool], env["GradDescent__Worker__Pool"]);
            Assert.Equal(workload.Metadata.Labels[ManifestLabels.Pool], env["GradDescent__Worker__Pool"]);
            Assert.Equal(Overlays.PodFactsFor(workload).Name, env["GradDescent__Worker__WorkerId"]);
            Assert.Equal("1", env["GradDescent__Worker__TorchThreads"]);
            var cache = workload.Pod.Containers[0].VolumeMounts.Single(m => m.MountPath == env["GradDescent__Worker__CacheFolder"]);
            Assert.NotNull(workload.Pod.Volumes.Single(v => v.Name == cache.Name).EmptyDir);
            Assert.True(workload.Metadata.Name == $"graddescent-worker-{env["GradDescent__Worker__Pool"]}", $"{workload.Id} is not named after its pool");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Workers_CpuPool_HasNoMoreSlotsThanCores(string overlay)
    {
        var manifests = Overlays.Render(overlay).With(ExternalSecrets.Database);
        var pool = manifests.Workload("graddescent-worker-cpu");
        var container = pool.Pod.Containers[0];
        var env = ContainerEnvironment.Resolve(manifests, pool, container, Overlays.PodFactsFor(pool));

        Assert.Equal("cpu", env["GradDescent__Worker__Device"]);
        Assert.InRange(int.Parse(env["GradDescent__Worker__Slots"], System.Globalization.CultureInfo.InvariantCulture), 1, (int)container.Resources.Limits["cpu"].ToDecimal());
    }

    private static IEnumerable<Workload> Workers(ManifestSet manifests) => manifests.Workloads.Where(w => w.Component == "worker");
}
