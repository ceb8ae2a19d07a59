namespace GradDescent.Deploy.Testing;

/// <summary>Paths in the repository checkout the tests run from (found by walking up to GradDescent.sln).</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository root.</summary>
    public static string Root => RootPath.Value;

    /// <summary>deploy/ (Dockerfiles, kustomize tree, Grafana and Prometheus artefacts).</summary>
    public static string Deploy => Path.Combine(Root, "deploy");

    /// <summary>deploy/k8s/overlays/<paramref name="name"/>.</summary>
    public static string Overlay(string name) => Path.Combine(Deploy, "k8s", "overlays", name);

    /// <summary>deploy/k8s/components/<paramref name="name"/> (an optional kustomize component).</summary>
    public static string Component(string name) => Path.Combine(Deploy, "k8s", "components", name);

    /// <summary>deploy/k8s/examples (the sweep Job).</summary>
    public static string Examples => Path.Combine(Deploy, "k8s", "examples");

    /// <summary>deploy/prometheus.</summary>
    public static string Prometheus => Path.Combine(Deploy, "prometheus");

    /// <summary>deploy/grafana.</summary>
    public static string Grafana => Path.Combine(Deploy, "grafana");

    /// <summary>deploy/docker.</summary>
    public static string Docker => Path.Combine(Deploy, "docker");

    /// <summary>A file or folder below the root, from '/'-separated segments.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GradDescent.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"GradDescent.sln not found above {AppContext.BaseDirectory}: the deployment tests read deploy/ from the repository checkout");
    }
}
