using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>deploy/k8s/examples launches sweeps/seed-optimizers.yaml on a running deployment.</summary>
public sealed class SweepExampleTests
{
    private static readonly string ShippedSpec = RepositoryLayout.PathOf("sweeps/seed-optimizers.yaml");

    [Fact]
    public void SpecCopy_Examples_EqualsTheShippedSpec() =>
        Assert.Equal(File.ReadAllBytes(ShippedSpec), File.ReadAllBytes(Path.Combine(RepositoryLayout.Examples, "specs", "seed-optimizers.yaml")));

    [Fact]
    public void Job_Examples_SubmitsTheMountedSpecAndWaits()
    {
        var manifests = Overlays.RenderExamples();
        var job = manifests.Get<V1Job>("graddescent-sweep-seed-optimizers");
        var container = job.Spec.Template.Spec.Containers.Single();
        var mount = container.VolumeMounts.Single(m => m.MountPath == "/specs");
        var volume = job.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        var specs = manifests.Get<V1ConfigMap>(volume.ConfigMap.Name);

        Assert.Equal(["submit", "/specs/seed-optimizers.yaml", "--wait"], container.Args);
        Assert.Null(container.Command);
        Assert.Equal(File.ReadAllText(ShippedSpec), specs.Data["seed-optimizers.yaml"]);
        Assert.Equal("submit", job.Spec.Template.Metadata.Labels[ManifestLabels.Component]);
        Assert.Equal(Overlays.Namespace, job.Metadata.NamespaceProperty);
    }

    [Fact]
    public void Job_Examples_NeverSubmitsTwice()
    {
        var job = Overlays.RenderExamples().Get<V1Job>("graddescent-sweep-seed-optimizers");

        Assert.Equal(0, job.Spec.BackoffLimit);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.Null(job.Spec.TtlSecondsAfterFinished);
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void Job_Examples_FindsItsConfigurationAndIdentityInEitherOverlay(string overlay)
    {
        var examples = Overlays.RenderExamples();
        var deployment = Overlays.Render(overlay).With(ExternalSecrets.Database);
        var job = examples.Workload("graddescent-sweep-seed-optimizers");
        var container = job.Pod.Containers.Single();
        var manifests = examples.With([.. deployment.Objects.Where(o => o is V1ConfigMap or V1Secret)]);

        var env = ContainerEnvironment.Resolve(manifests, job, container, Overlays.PodFactsFor(job));

        Assert.NotNull(deployment.Find<V1ServiceAccount>(job.Pod.ServiceAccountName));
        Assert.Equal(env["ORLEANS_SERVICE_ID"], env["GradDescent__Cluster__ServiceId"]);
        Assert.Equal(deployment.Get<V1ConfigMap>("graddescent-cluster").Data["cluster-id"], env["GradDescent__Cluster__ClusterId"]);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == container.WorkingDir && job.Pod.Volumes.Single(v => v.Name == m.Name).EmptyDir is not null);
    }
}
