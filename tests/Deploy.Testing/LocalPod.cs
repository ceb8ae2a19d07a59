using System.Globalization;
using System.Text;
using k8s.Models;

namespace GradDescent.Deploy.Testing;

/// <summary>
/// One pod of a rendered workload, prepared to run as a local process the way the kubelet would start its
/// container: the environment as <see cref="ContainerEnvironment.Resolve"/> builds it (downward API from
/// <see cref="Facts"/>), the volumes projected into folders under <see cref="Root"/> (emptyDir: an empty folder;
/// configMap and secret: one file per key, or per <c>items</c> entry), and the command line (the image's
/// ENTRYPOINT, or the container's command, then its args), environment values and working directory with every
/// absolute path below a volume mount moved to that volume's folder. Paths elsewhere stay as written: the local
/// machine stands in for the image's own files.
/// </summary>
public sealed class LocalPod
{
    private readonly List<(string MountPath, string Local)> mounts;

    private LocalPod(Workload workload, V1Container container, PodFacts facts, string root, List<(string MountPath, string Local)> mounts)
    {
        Workload = workload;
        Container = container;
        Facts = facts;
        Root = root;
        this.mounts = mounts;
    }

    public Workload Workload { get; }

    public V1Container Container { get; }

    public PodFacts Facts { get; }

    /// <summary>The folder holding this pod's volumes and the stand-in for its image's working directory.</summary>
    public string Root { get; }

    /// <summary>Container mount path → local folder (or file, for a subPath mount), longest paths first.</summary>
    public IReadOnlyList<(string MountPath, string Local)> Mounts => mounts;

    /// <summary>The container's command line (ENTRYPOINT or command, then args; $(VAR) expanded), paths mapped.</summary>
    public IReadOnlyList<string> CommandLine { get; private set; } = [];

    /// <summary>The container's environment as the kubelet builds it, path values mapped.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    /// <summary>The working directory: the container's workingDir or the image's WORKDIR, mapped (created when not a mount).</summary>
    public string WorkingDirectory { get; private set; } = string.Empty;

    /// <summary>
    /// Prepares <paramref name="workload"/>'s single container: projects its volumes under <paramref name="root"/>
    /// from the ConfigMaps and Secrets of <paramref name="manifests"/> and resolves its command and environment.
    /// Throws, naming the volume, for volume kinds a local process cannot have (persistentVolumeClaim, hostPath...).
    /// </summary>
    public static LocalPod Prepare(ManifestSet manifests, Workload workload, PodFacts facts, Dockerfile image, string root)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(image);
        var container = workload.Pod.Containers.Count == 1
            ? workload.Pod.Containers[0]
            : throw new NotSupportedException($"{workload.Id} has {workload.Pod.Containers.Count} containers; a local pod runs one");
        Directory.CreateDirectory(root);
        var mounts = new List<(string, string)>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var volume = (workload.Pod.Volumes ?? []).SingleOrDefault(v => v.Name == mount.Name)
                ?? throw new InvalidOperationException($"{workload.Id}: volumeMount {mount.Name} names no volume of the pod");
            var local = Project(manifests, workload, volume, Path.Combine(root, "volumes", volume.Name));
            mounts.Add((mount.MountPath.TrimEnd('/'), string.IsNullOrEmpty(mount.SubPath) ? local : Path.Combine(local, mount.SubPath)));
        }

        var pod = new LocalPod(workload, container, facts, root, [.. mounts.OrderByDescending(m => m.Item1.Length)]);
        var environment = ContainerEnvironment.Resolve(manifests, workload, container, facts);
        IEnumerable<string> command = container.Command is { Count: > 0 } ? container.Command : image.Entrypoint;
        pod.CommandLine = [.. command.Concat(container.Args ?? []).Select(a => pod.MapValue(ContainerEnvironment.Expand(a, environment)))];
        pod.Environment = environment.ToDictionary(e => e.Key, e => pod.MapValue(e.Value), StringComparer.Ordinal);
        pod.WorkingDirectory = pod.MapPath(string.IsNullOrEmpty(container.WorkingDir) ? image.WorkingDirectory : container.WorkingDir, createOutsideMounts: true);
        return pod;
    }

    /// <summary>The container port named (or numbered) <paramref name="nameOrNumber"/>.</summary>
    public int Port(string nameOrNumber) =>
        int.TryParse(nameOrNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : (Container.Ports ?? []).SingleOrDefault(p => p.Name == nameOrNumber)?.ContainerPort
                ?? throw new InvalidOperationException($"{Workload.Id}: container {Container.Name} has no port named {nameOrNumber}");

    /// <summary>The readiness probe's HTTP path and port, or null when the container has no HTTP readiness probe.</summary>
    public (string Path, int Port)? Readiness =>
        Container.ReadinessProbe?.HttpGet is { } get ? (get.Path ?? "/", Port(get.Port.Value)) : null;

    /// <summary>
    /// <paramref name="containerPath"/> on this machine: below a mount, the same place in the mounted folder;
    /// elsewhere unchanged, or (when <paramref name="createOutsideMounts"/>) a folder under <c>ROOT/rootfs</c>
    /// standing in for the image's own directory.
    /// </summary>
    public string MapPath(string containerPath, bool createOutsideMounts = false)
    {
        foreach (var (mountPath, local) in mounts)
        {
            if (containerPath == mountPath || containerPath.StartsWith(mountPath + "/", StringComparison.Ordinal))
            {
                return local + containerPath[mountPath.Length..];
            }
        }

        if (!createOutsideMounts)
        {
            return containerPath;
        }

        var standIn = Path.Combine(Root, "rootfs", containerPath.TrimStart('/'));
        Directory.CreateDirectory(standIn);
        return standIn;
    }

    /// <summary>A value that is an absolute path (an argument, a variable) mapped with <see cref="MapPath"/>; others unchanged.</summary>
    public string MapValue(string value) => value.StartsWith('/') ? MapPath(value) : value;

    private static string Project(ManifestSet manifests, Workload workload, V1Volume volume, string folder)
    {
        Directory.CreateDirectory(folder);
        switch (volume)
        {
            case { EmptyDir: not null }:
                break;
            case { ConfigMap: { } source }:
                var map = manifests.Find<V1ConfigMap>(source.Name);
                if (map is null && source.Optional != true)
                {
                    throw new InvalidOperationException($"{workload.Id} volume {volume.Name}: ConfigMap {source.Name} is not in {manifests.Source}");
                }

                var files = (map?.Data ?? new Dictionary<string, string>()).ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value));
                foreach (var (key, bytes) in map?.BinaryData ?? new Dictionary<string, byte[]>())
                {
                    files[key] = bytes;
                }

                WriteKeys(files, source.Items, source.DefaultMode, folder, $"{workload.Id} volume {volume.Name} (ConfigMap {source.Name})");
                break;
            case { Secret: { } source }:
                var secret = manifests.Find<V1Secret>(source.SecretName);
                if (secret is null && source.Optional != true)
                {
                    throw new InvalidOperationException($"{workload.Id} volume {volume.Name}: Secret {source.SecretName} is not in {manifests.Source}");
                }

                var keys = new Dictionary<string, byte[]>(secret?.Data ?? new Dictionary<string, byte[]>());
                foreach (var (key, text) in secret?.StringData ?? new Dictionary<string, string>())
                {
                    keys[key] = Encoding.UTF8.GetBytes(text);
                }

                WriteKeys(keys, source.Items, source.DefaultMode, folder, $"{workload.Id} volume {volume.Name} (Secret {source.SecretName})");
                break;
            default:
                throw new NotSupportedException($"{workload.Id} volume {volume.Name}: only emptyDir, configMap and secret volumes run as local folders");
        }

        return folder;
    }

    /// <summary>
    /// One file per key, or only the listed items at their paths (a missing listed key fails, as in the kubelet), each
    /// with the item's mode, else the volume's defaultMode, else the kubelet's default 0644. (The kubelet also adds
    /// group read for an fsGroup; these processes run as this machine's user, so the modes are as written.)
    /// </summary>
    private static void WriteKeys(IReadOnlyDictionary<string, byte[]> data, IList<V1KeyToPath>? items, int? defaultMode, string folder, string where)
    {
        const int KubeletDefaultMode = 420; // 0644
        var files = items is { Count: > 0 }
            ? items.Select(i => (Path: i.Path, Bytes: data.TryGetValue(i.Key, out var b) ? b : throw new InvalidOperationException($"{where}: no key {i.Key}"), Mode: i.Mode ?? defaultMode))
            : data.Select(d => (Path: d.Key, Bytes: d.Value, Mode: defaultMode));
        foreach (var (path, bytes, mode) in files)
        {
            var file = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, bytes);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, (UnixFileMode)(mode ?? KubeletDefaultMode));
            }
        }
    }
}
