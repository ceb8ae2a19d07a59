using k8s.Models;

namespace GradDescent.Deploy.Testing;

/// <summary>Container image references (<c>registry/path/name:tag@digest</c>) and GradDescent's images among them.</summary>
public static class ImageReference
{
    /// <summary>True for containers that run the GradDescent image (graddescent or graddescent-cuda, any registry).</summary>
    public static bool IsGradDescent(V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return Name(container.Image) is "graddescent" or "graddescent-cuda";
    }

    /// <summary>The last path segment of an image reference, without tag or digest.</summary>
    public static string Name(string image) => NameAndTag(image).Split(':')[0];

    /// <summary>The tag of an image reference, or null when it has none.</summary>
    public static string? Tag(string image)
    {
        var nameAndTag = NameAndTag(image);
        var colon = nameAndTag.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : nameAndTag[(colon + 1)..];
    }

    private static string NameAndTag(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var withoutDigest = image.Split('@')[0];
        return withoutDigest[(withoutDigest.LastIndexOf('/') + 1)..];
    }
}
