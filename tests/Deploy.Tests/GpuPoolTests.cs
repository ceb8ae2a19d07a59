using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Tests.Infrastructure;

namespace GradDescent.Deploy.Tests;

/// <summary>The GPU pool asks for GPUs the Kubernetes way; nothing else does.</summary>
public sealed class GpuPoolTests
{
    private const string Gpu = "nvidia.com/gpu";

    [Fact]
    public void GpuPool_Production_RequestsAGpuInLimitsOnly()
    {
        var pool = Overlays.Render(Overlays.Production).Workload("graddescent-worker-gpu");
        var container = pool.Pod.Containers.Single();

        Assert.Equal(1m, container.Resources.Limits[Gpu].ToDecimal());
        Assert.False(container.Resources.Requests.ContainsKey(Gpu), "the GPU is in requests; extended resources belong in limits");
    }

    [Fact]
    public void GpuPool_Production_LandsOnGpuNodesWithTheCudaImage()
    {
        var manifests = Overlays.Render(Overlays.Production).With(ExternalSecrets.Database);
        var pool = manifests.Workload("graddescent-worker-gpu");
        var container = pool.Pod.Containers.Single();
        var env = ContainerEnvironment.Resolve(manifests, pool, container, Overlays.PodFactsFor(pool));

        Assert.Equal("true", pool.Pod.NodeSelector["nvidia.com/gpu.present"]);
        var toleration = Assert.Single(pool.Pod.Tolerations);
        Assert.Equal((Gpu, "Exists", "NoSchedule"), (toleration.Key, toleration.OperatorProperty, toleration.Effect));
        Assert.Equal("graddescent-cuda", Overlays.ImageName(container.Image));
        Assert.Equal("cuda", env["GradDescent__Worker__Device"]);
        Assert.Equal("gpu", pool.PodLabels[ManifestLabels.Pool]);
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void GpuPool_OtherWorkloads_NeitherRequestGpusNorUseTheCudaImage(string overlay)
    {
        foreach (var workload in Overlays.Render(overlay).Workloads.Where(w => w.Name != "graddescent-worker-gpu"))
        {
            foreach (var container in workload.AllContainers)
            {
                Assert.False(container.Resources?.Limits?.ContainsKey(Gpu) is true || container.Resources?.Requests?.ContainsKey(Gpu) is true, $"{workload.Id} asks for a GPU");
                Assert.NotEqual("graddescent-cuda", Overlays.ImageName(container.Image));
            }

            Assert.Null(workload.Pod.Tolerations);
        }
    }

    [Fact]
    public void GpuPool_Dev_DoesNotExist() =>
        Assert.DoesNotContain(Overlays.Render(Overlays.Dev).Workloads, w => w.PodLabels.TryGetValue(ManifestLabels.Pool, out var pool) && pool != "cpu");
}
