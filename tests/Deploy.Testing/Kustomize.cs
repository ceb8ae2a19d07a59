using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

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

    /// <summary>
    /// deploy/k8s/overlays/<paramref name="overlay"/> with optional components (deploy/k8s/components/NAME) added, as an
    /// operator adds them to the overlay's <c>components:</c>; rendered once per process (see <see cref="RenderOverlayWithYaml"/>).
    /// </summary>
    public static ManifestSet RenderOverlayWith(string overlay, string @namespace, params string[] components) =>
        Rendered.GetOrAdd(
            $"{RepositoryLayout.Overlay(overlay)}+{string.Join('+', components)}",
            _ => new Lazy<ManifestSet>(() => ManifestSet.Parse(
                $"{RepositoryLayout.Overlay(overlay)} with {string.Join(", ", components)}",
                RenderOverlayWithYaml(overlay, @namespace, components)))).Value;

    /// <summary>
    /// The rendered YAML of deploy/k8s/overlays/<paramref name="overlay"/> with <paramref name="components"/>: through a
    /// kustomization in a temporary folder that names the overlay as its resource, the components, and the overlay's
    /// namespace (so the components' objects land where they would inside the overlay).
    /// </summary>
    public static string RenderOverlayWithYaml(string overlay, string @namespace, params string[] components)
    {
        var folder = Directory.CreateTempSubdirectory("graddescent-kustomize-");
        try
        {
            // kustomize accepts only relative paths to other kustomizations.
            string Relative(string path) => Path.GetRelativePath(folder.FullName, path).Replace(Path.DirectorySeparatorChar, '/');
            var text = new StringBuilder()
                .AppendLine("apiVersion: kustomize.config.k8s.io/v1beta1")
                .AppendLine("kind: Kustomization")
                .AppendLine(CultureInfo.InvariantCulture, $"namespace: {@namespace}")
                .AppendLine("resources:")
                .AppendLine(CultureInfo.InvariantCulture, $"  - {Relative(RepositoryLayout.Overlay(overlay))}")
                .AppendLine("components:");
            foreach (var component in components)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  - {Relative(RepositoryLayout.Component(component))}");
            }

            File.WriteAllText(Path.Combine(folder.FullName, "kustomization.yaml"), text.ToString());
            return RenderYaml(folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
