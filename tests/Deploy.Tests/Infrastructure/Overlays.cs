using GradDescent.Deploy.Testing;
using k8s.Models;

namespace GradDescent.Deploy.Tests.Infrastructure;

/// <summary>The kustomizations under test and what tests need to know about them.</summary>
public static class Overlays
{
    public const string Dev = "dev";
    public const string Production = "production";

    /// <summary>The namespace every overlay and the sweep example render into.</summary>
    public const string Namespace = "graddescent";

    /// <summary>deploy/k8s/examples, for theories over every kustomization.</summary>
    public const string Examples = "examples";

    public static TheoryData<string> Names => [Dev, Production];

    /// <summary>Both overlays and the sweep example.</summary>
    public static TheoryData<string> NamesWithExamples => [Dev, Production, Examples];

    public static ManifestSet Render(string overlay) => overlay == Examples ? RenderExamples() : Kustomize.RenderOverlay(overlay);

    public static ManifestSet RenderExamples() => Kustomize.Render(RepositoryLayout.Examples);

    /// <summary>The optional component that lets cert-manager issue the cluster's TLS Secret.</summary>
    public const string CertManager = "cert-manager";

    /// <summary>overlays/production with components/cert-manager added to its components.</summary>
    public static ManifestSet RenderProductionWithCertManager() => Kustomize.RenderOverlayWith(Production, Namespace, CertManager);

    /// <summary>The YAML of <see cref="RenderProductionWithCertManager"/>.</summary>
    public static string RenderProductionWithCertManagerYaml() => Kustomize.RenderOverlayWithYaml(Production, Namespace, CertManager);

    /// <summary>True for containers that run the GradDescent image (graddescent or graddescent-cuda, any registry).</summary>
    public static bool IsGradDescent(V1Container container) => ImageReference.IsGradDescent(container);

    /// <summary>The last path segment of an image reference, without tag or digest.</summary>
    public static string ImageName(string image) => ImageReference.Name(image);

    /// <summary>The tag of an image reference, or null when it has none.</summary>
    public static string? ImageTag(string image) => ImageReference.Tag(image);

    /// <summary>Values for the downward API when resolving a pod's environment.</summary>
    public static PodFacts PodFactsFor(Workload workload) => new($"{workload.Name}-0", Namespace, "10.1.2.3");
}
