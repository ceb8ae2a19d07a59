using System.Collections.Concurrent;

namespace GradDescent.Deploy.Testing;

/// <summary>Renders kustomizations with <c>kubectl kustomize</c> (offline) into <see cref="ManifestSet"/>s.</summary>
public static class Kustomize
{
    private static readonly ConcurrentDictionary<string, Lazy<ManifestSet>> Rendered = new(StringComparer.Ordinal);

    /// <summary>The rendered YAML of the kustomization in <paramref name="directory"/>; throws with kubectl's message when it fails.</summary>
    public static string RenderYaml(string directory)
    {
        var result = ExternalTool.Run("kubectl", ["kustomize", directory]);
        if (result.ExitCode != 0)
        {
            var version = ExternalTool.Run("kubectl", ["version", "--client"]);
            throw new InvalidOperationException($"kubectl kustomize {directory} failed:\n{result.Output}\n{version.StandardOutput}");
        }

        return result.StandardOutput;
    }

    /// <summary>
    /// The objects of the kustomization in <paramref name="directory"/>, loaded strictly; rendered once per
    /// process (callers must not change the returned objects).
    /// </summary>
    public static ManifestSet Render(string directory)
    {
        var full = Path.GetFullPath(directory);
        return Rendered.GetOrAdd(full, d => new Lazy<ManifestSet>(() => ManifestSet.Parse(d, RenderYaml(d)))).Value;
    }

    /// <summary>deploy/k8s/overlays/<paramref name="overlay"/>, rendered.</summary>
    public static ManifestSet RenderOverlay(string overlay) => Render(RepositoryLayout.Overlay(overlay));
}
