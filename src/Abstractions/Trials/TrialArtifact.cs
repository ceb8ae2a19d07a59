using System.Security.Cryptography;

namespace GradDescent.Abstractions.Trials;

/// <summary>
/// A file a trial produced that reports need (an adversarial image, the linear-regression data set), stored with the
/// trial so a report renders from the store alone. Content is addressed by its SHA-256: identical content is stored
/// once per sweep, and a trial whose content another trial of the same sweep carries names it by hash alone
/// (<see cref="Content"/> null).
/// </summary>
/// <param name="Name">File name within the trial, e.g. <c>adversarial.png</c>; unique per trial.</param>
/// <param name="MediaType">e.g. <c>image/png</c>, <c>text/csv</c>.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
/// <param name="Content">The bytes, or null when another trial of the sweep carries them.</param>
[GenerateSerializer, Immutable]
public sealed record TrialArtifact(
    [property: Id(0)] string Name,
    [property: Id(1)] string MediaType,
    [property: Id(2)] string Sha256,
    [property: Id(3)] byte[]? Content)
{
    /// <summary>An artefact carrying its content, hashed here.</summary>
    public static TrialArtifact FromContent(string name, string mediaType, byte[] content)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        ArgumentNullException.ThrowIfNull(content);
        return new TrialArtifact(name, mediaType, HashOf(content), content);
    }

    /// <summary>The same artefact without its bytes, for trials of a sweep whose content one trial already carries.</summary>
    public TrialArtifact AsReference() => this with { Content = null };

    /// <summary>Lower-case hex SHA-256.</summary>
    public static string HashOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
