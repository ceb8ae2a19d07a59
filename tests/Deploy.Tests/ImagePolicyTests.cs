using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Tests.Infrastructure;

namespace GradDescent.Deploy.Tests;

/// <summary>Images are pinned to versions; GradDescent's own images to the product version.</summary>
public sealed class ImagePolicyTests
{
    [Theory]
    [MemberData(nameof(Overlays.NamesWithExamples), MemberType = typeof(Overlays))]
    public void Images_EveryContainer_HasAVersionTagNeverLatest(string kustomization)
    {
        foreach (var (workload, container) in Containers(kustomization))
        {
            var tag = Overlays.ImageTag(container.Image);
            Assert.True(tag is not null, $"{workload.Id} container {container.Name}: image {container.Image} has no tag");
            Assert.NotEqual("latest", tag);
            Assert.True(char.IsAsciiDigit(tag.TrimStart('v')[0]), $"{workload.Id} container {container.Name}: tag {tag} of {container.Image} is not a version");
            Assert.Equal("IfNotPresent", container.ImagePullPolicy);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.NamesWithExamples), MemberType = typeof(Overlays))]
    public void Images_GradDescentContainers_AreTaggedWithTheProductVersion(string kustomization)
    {
        var graddescent = Containers(kustomization).Where(c => Overlays.IsGradDescent(c.Container)).ToList();

        Assert.NotEmpty(graddescent);
        Assert.All(graddescent, c => Assert.Equal(ProjectVersion.Current, Overlays.ImageTag(c.Container.Image)));
    }

    [Fact]
    public void Images_Production_ComeFromOneRegistry()
    {
        var images = Containers(Overlays.Production).Select(c => c.Container.Image).Distinct().Order().ToList();

        Assert.Equal(
            [$"registry.example.com/graddescent-cuda:{ProjectVersion.Current}", $"registry.example.com/graddescent:{ProjectVersion.Current}"],
            images);
    }

    private static IEnumerable<(Workload Workload, k8s.Models.V1Container Container)> Containers(string kustomization)
    {
        return Overlays.Render(kustomization).Workloads.SelectMany(w => w.AllContainers.Select(c => (w, c)));
    }
}
