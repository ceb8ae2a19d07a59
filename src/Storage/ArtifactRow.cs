using System.Text.RegularExpressions;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Storage;

/// <summary>
/// One stored artefact of a trial: its <c>trial_artifacts</c> row, and the content for <c>sweep_artifacts</c> when the
/// trial carried it. The hash of carried content is computed here, never taken from the result.
/// </summary>
/// <param name="Content">The bytes, or null when another trial of the sweep carries them.</param>
internal sealed partial record ArtifactRow(string Name, string MediaType, string Sha256, byte[]? Content)
{
    public const string DefaultMediaType = "application/octet-stream";

    /// <summary>
    /// The storable artefacts of a result, in order: names cleaned and unique, content within <paramref name="maxBytes"/>,
    /// references with a well-formed hash. What cannot be stored is left out and said in <paramref name="dropped"/>.
    /// </summary>
    public static IReadOnlyList<ArtifactRow> From(IReadOnlyList<TrialArtifact> artifacts, long maxBytes, List<(string Name, string Reason)> dropped)
    {
        if (artifacts.Count == 0)
        {
            return [];
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<ArtifactRow>(artifacts.Count);
        foreach (var artifact in artifacts)
        {
            if (artifact is null)
            {
                continue;
            }

            var name = StoredText.Clean(artifact.Name ?? string.Empty, StoredText.MaxLabelLength);
            if (name.Length == 0 || !names.Add(name))
            {
                dropped.Add((name, name.Length == 0 ? "it has no name" : "the trial has another artefact of that name"));
                continue;
            }

            var mediaType = string.IsNullOrWhiteSpace(artifact.MediaType) ? DefaultMediaType : StoredText.Clean(artifact.MediaType, StoredText.MaxLabelLength);
            if (artifact.Content is { } content)
            {
                if (content.LongLength > maxBytes)
                {
                    dropped.Add((name, $"its {content.LongLength:N0} bytes are over the cap of {maxBytes:N0} (ResultStoreOptions.MaxArtifactBytes)"));
                    continue;
                }

                rows.Add(new ArtifactRow(name, mediaType, TrialArtifact.HashOf(content), content));
            }
            else if (artifact.Sha256 is { } hash && HashPattern().IsMatch(hash))
            {
                rows.Add(new ArtifactRow(name, mediaType, hash, null));
            }
            else
            {
                dropped.Add((name, "it carries no content and no valid SHA-256 of content stored by another trial"));
            }
        }

        return rows;
    }

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex HashPattern();
}
