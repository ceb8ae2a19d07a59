using System.Text;
using System.Text.RegularExpressions;
using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Testing.CustomResources;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>
/// Mutual TLS between the cluster's processes (docs/security.md): every pod of a cluster member (silo, worker,
/// dashboard, submit) mounts Secret graddescent-tls read-only and points the three GradDescent__Cluster__Tls__ paths at
/// its files; no other pod mounts it; no rendered manifest carries a certificate or key; cert-manager's Certificate
/// (components/cert-manager) and the documented commands make the Secret the pods mount.
/// </summary>
public sealed partial class ClusterTlsTests
{
    private const string MountPath = "/etc/graddescent/tls";
    private const string ModeKey = "GradDescent__Cluster__Tls__Mode";

    /// <summary>Each path setting and the Secret key (file) it must name.</summary>
    private static readonly (string Key, string File)[] Paths =
    [
        ("GradDescent__Cluster__Tls__CertificatePath", "tls.crt"),
        ("GradDescent__Cluster__Tls__KeyPath", "tls.key"),
        ("GradDescent__Cluster__Tls__CaPath", "ca.crt"),
    ];

    /// <summary>0440: the kubelet makes the files group-owned by the pod's fsGroup; nobody else may read the key.</summary>
    private static readonly int ReadableByOwnerAndGroup = Convert.ToInt32("440", 8);

    /// <summary>Every kustomization, and production with cert-manager issuing the Secret.</summary>
    public static TheoryData<string> AllRenders => [Overlays.Dev, Overlays.Production, Overlays.Examples, ProductionWithCertManager];

    private const string ProductionWithCertManager = "production+cert-manager";

    [Theory]
    [MemberData(nameof(AllRenders))]
    public void Tls_ClusterMembers_MountTheTlsSecretReadOnlyWithOnlyItsThreeKeys(string kustomization)
    {
        var members = Members(Render(kustomization)).ToList();

        Assert.NotEmpty(members);
        foreach (var workload in members)
        {
            var container = workload.Pod.Containers.Single();
            var volume = Assert.Single(workload.Pod.Volumes ?? [], v => v.Secret?.SecretName == ExternalSecrets.TlsSecretName);
            var mount = Assert.Single(container.VolumeMounts ?? [], m => m.Name == volume.Name);
            Assert.True(mount.MountPath == MountPath, $"{workload.Id} mounts the TLS Secret at {mount.MountPath}");
            Assert.True(mount.ReadOnlyProperty is true, $"{workload.Id} mounts the TLS Secret writable");
            Assert.Null(mount.SubPath);
            Assert.True(volume.Secret.Optional is not true, $"{workload.Id}: an optional TLS Secret would let the pod start without it");
            Assert.True(volume.Secret.DefaultMode == ReadableByOwnerAndGroup, $"{workload.Id}: defaultMode {volume.Secret.DefaultMode}, not 0440");
            Assert.NotNull(workload.Pod.SecurityContext?.FsGroup);
            Assert.Equal(["ca.crt", "tls.crt", "tls.key"], (volume.Secret.Items ?? []).Select(i => i.Key).Order(StringComparer.Ordinal));
            Assert.All(volume.Secret.Items ?? [], i => Assert.Equal((i.Key, (int?)null), (i.Path, i.Mode)));
        }
    }

    [Theory]
    [MemberData(nameof(AllRenders))]
    public void Tls_ClusterMembers_RequireTlsWithTheThreeFilesOfTheMountedSecret(string kustomization)
    {
        var manifests = WithOperatorObjects(kustomization);
        var image = Dockerfile.Load(Path.Combine(RepositoryLayout.Docker, "Dockerfile"));
        var folder = Directory.CreateTempSubdirectory("graddescent-tls-mount-");
        try
        {
            foreach (var workload in Members(manifests))
            {
                var container = workload.Pod.Containers.Single();
                var facts = Overlays.PodFactsFor(workload);
                var declared = ContainerEnvironment.Resolve(manifests, workload, container, facts);
                var pod = LocalPod.Prepare(manifests, workload, facts, image, Path.Combine(folder.FullName, workload.Name));

                Assert.True(declared.TryGetValue(ModeKey, out var mode) && mode == "required", $"{workload.Id}: {ModeKey} is '{mode}', not 'required'");
                foreach (var (key, file) in Paths)
                {
                    Assert.True(declared.TryGetValue(key, out var path), $"{workload.Id} does not set {key}");
                    Assert.Equal($"{MountPath}/{file}", path);

                    // Where the kubelet would put it: the Secret's key of that name, through the pod's own volume and mount.
                    Assert.Equal(ExternalSecrets.Tls.StringData[file], File.ReadAllText(pod.Environment[key]));
                }
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(AllRenders))]
    public void Tls_OtherPods_NeitherMountTheSecretNorSetTls(string kustomization)
    {
        var others = Render(kustomization).Workloads.Where(w => !IsMember(w)).ToList();

        foreach (var workload in others)
        {
            Assert.DoesNotContain(workload.Pod.Volumes ?? [], v => v.Secret?.SecretName == ExternalSecrets.TlsSecretName);
            Assert.DoesNotContain(workload.AllContainers.SelectMany(c => c.Env ?? []), v => v.Name.StartsWith("GradDescent__Cluster__Tls__", StringComparison.Ordinal));
        }

        if (kustomization != Overlays.Examples)
        {
            // The schema Job talks to the database only.
            Assert.Contains(others, w => w.Component == "schema");
        }
    }

    [Theory]
    [MemberData(nameof(AllRenders))]
    public void Tls_RenderedManifests_HoldNoCertificateOrKey(string kustomization)
    {
        var yaml = RenderYaml(kustomization);
        var manifests = ManifestSet.Parse(kustomization, yaml);

        Assert.DoesNotContain("-----BEGIN", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", yaml, StringComparison.Ordinal);
        Assert.Null(manifests.Find<V1Secret>(ExternalSecrets.TlsSecretName));
        foreach (var secret in manifests.All<V1Secret>())
        {
            var values = (secret.Data ?? new Dictionary<string, byte[]>()).ToDictionary(d => d.Key, d => Encoding.UTF8.GetString(d.Value));
            foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
            {
                values[key] = value;
            }

            Assert.DoesNotContain(values.Keys, k => k is "tls.crt" or "tls.key" or "ca.crt" or "ca.key");
            Assert.DoesNotContain(values.Values, v => v.Contains("-----BEGIN", StringComparison.Ordinal));
            Assert.NotEqual("kubernetes.io/tls", secret.Type);
        }
    }

    [Fact]
    public void CertManager_Component_AddsOnlyTheIssuersAndCertificatesInTheNamespace()
    {
        var production = Overlays.Render(Overlays.Production).Objects.Select(Id).ToHashSet();
        var withCertManager = Overlays.RenderProductionWithCertManager();

        Assert.Equal(
            ["Certificate/graddescent-ca", "Certificate/graddescent-tls", "Issuer/graddescent-ca", "Issuer/graddescent-selfsigned"],
            withCertManager.Objects.Select(Id).Where(id => !production.Contains(id)).Order(StringComparer.Ordinal));
        Assert.Equal(production.Count + 4, withCertManager.Objects.Count);
        foreach (var added in withCertManager.Objects.Where(o => o is Issuer or Certificate))
        {
            Assert.Equal(Overlays.Namespace, added.Metadata.NamespaceProperty);
            Assert.Equal(
                (ManifestLabels.AppName, ManifestLabels.AppName, "tls"),
                (added.Metadata.Labels[ManifestLabels.Name], added.Metadata.Labels[ManifestLabels.PartOf], added.Metadata.Labels[ManifestLabels.Component]));
        }
    }

    [Fact]
    public void CertManager_Certificate_WritesTheMountedSecretSignedByACaOfTheNamespaceOnly()
    {
        var manifests = Overlays.RenderProductionWithCertManager();
        var certificate = Assert.Single(manifests.All<Certificate>(), c => c.Spec.SecretName == ExternalSecrets.TlsSecretName);
        var issuer = manifests.Get<Issuer>(certificate.Spec.IssuerRef.Name);
        var ca = Assert.Single(manifests.All<Certificate>(), c => c.Spec.SecretName == issuer.Spec.Ca?.SecretName);
        var root = manifests.Get<Issuer>(ca.Spec.IssuerRef.Name);

        // The cluster certificate: both TLS roles (silos accept and dial, clients dial), as certs create makes it.
        Assert.Equal(["client auth", "digital signature", "server auth"], (certificate.Spec.Usages ?? []).Order(StringComparer.Ordinal));
        Assert.True(certificate.Spec.IsCA is not true);
        Assert.Equal(("Issuer", "cert-manager.io"), (certificate.Spec.IssuerRef.Kind, certificate.Spec.IssuerRef.Group));
        Assert.Equal(certificate.Metadata.Labels, certificate.Spec.SecretTemplate?.Labels);

        // Signed by a CA of its own (a namespaced Issuer, never a shared ClusterIssuer), which is self-signed.
        Assert.True(ca.Spec.IsCA);
        Assert.Equal(("Issuer", "cert-manager.io"), (ca.Spec.IssuerRef.Kind, ca.Spec.IssuerRef.Group));
        Assert.NotNull(root.Spec.SelfSigned);
        Assert.Null(root.Spec.Ca);

        // Keys as ClusterCertificates reads them; renewal before expiry.
        foreach (var made in new[] { certificate, ca })
        {
            Assert.Equal(("ECDSA", 256, "PKCS8"), (made.Spec.PrivateKey?.Algorithm, made.Spec.PrivateKey?.Size, made.Spec.PrivateKey?.Encoding));
            Assert.InRange(Hours(made.Spec.RenewBefore), 1, Hours(made.Spec.Duration) - 1);
        }

        // The pods mount the cluster certificate's Secret and nothing else; the CA's key stays out of every pod.
        Assert.Equal(
            [ExternalSecrets.TlsSecretName],
            manifests.Workloads.SelectMany(w => w.Pod.Volumes ?? []).Where(v => v.Secret is not null).Select(v => v.Secret.SecretName).Distinct());
    }

    [Theory]
    [InlineData("docs/deploy.md")]
    [InlineData("docs/security.md")]
    public void Docs_SecretCommands_CreateTheSecretThePodsMount(string document)
    {
        var commands = CreateSecret().Matches(File.ReadAllText(RepositoryLayout.PathOf(document)))
            .Where(m => m.Value.Contains("tls.crt", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(commands);
        Assert.All(commands, m => Assert.Equal(ExternalSecrets.TlsSecretName, m.Groups["name"].Value));
        Assert.All(commands, m => Assert.Contains("--type=kubernetes.io/tls", m.Value, StringComparison.Ordinal));
        Assert.All(commands, m => Assert.DoesNotContain("ca.key", m.Value, StringComparison.Ordinal));
    }

    private static bool IsMember(Workload workload) => workload.Component is { } c && ManifestLabels.ClusterMembers.Contains(c);

    private static IEnumerable<Workload> Members(ManifestSet manifests) => manifests.Workloads.Where(IsMember);

    private static string Id(k8s.IKubernetesObject<V1ObjectMeta> o) => $"{o.Kind}/{o.Metadata.Name}";

    /// <summary>A Go duration in whole hours ("2160h").</summary>
    private static int Hours(string? duration) =>
        duration is [.. var digits, 'h'] ? int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) : throw new FormatException($"'{duration}' is not a duration in hours");

    private static ManifestSet Render(string kustomization) =>
        kustomization == ProductionWithCertManager ? Overlays.RenderProductionWithCertManager() : Overlays.Render(kustomization);

    private static string RenderYaml(string kustomization) => kustomization switch
    {
        ProductionWithCertManager => Overlays.RenderProductionWithCertManagerYaml(),
        Overlays.Examples => Kustomize.RenderYaml(RepositoryLayout.Examples),
        _ => Kustomize.RenderYaml(RepositoryLayout.Overlay(kustomization)),
    };

    /// <summary>
    /// The render with what the operator creates beside it: the TLS Secret (with cert-manager, cert-manager creates it
    /// with the same keys), the database Secret for production, the dev overlay's ConfigMaps and Secrets for the example.
    /// </summary>
    private static ManifestSet WithOperatorObjects(string kustomization) => kustomization switch
    {
        Overlays.Examples => Overlays.RenderExamples().With([.. Overlays.Render(Overlays.Dev).Objects.Where(o => o is V1ConfigMap or V1Secret), ExternalSecrets.Tls]),
        Overlays.Dev => Overlays.Render(Overlays.Dev).With(ExternalSecrets.Tls),
        _ => Render(kustomization).With(ExternalSecrets.Database, ExternalSecrets.Tls),
    };

    /// <summary>A <c>kubectl ... create secret KIND NAME ...</c> command, continuation lines included.</summary>
    [GeneratedRegex(@"kubectl[^\n]*?create secret (generic|tls) (?<name>[a-z0-9.-]+)(?:[^\n]*\\\n)*[^\n]*")]
    private static partial Regex CreateSecret();
}
