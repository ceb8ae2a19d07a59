using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>
/// Only members of the GradDescent cluster (silo, worker, dashboard and submit pods of the same namespace)
/// reach the Orleans silo and gateway ports; only GradDescent's processes reach PostgreSQL.
/// </summary>
public sealed class NetworkPolicyTests
{
    private static readonly string[] OrleansPorts = ["silo", "gateway"];

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void NetworkPolicy_OrleansPorts_AdmitOnlyClusterMembers(string overlay)
    {
        var manifests = Overlays.Render(overlay);
        var silos = manifests.Workloads.Where(w => w.Pod.Containers.Any(c => (c.Ports ?? []).Any(p => OrleansPorts.Contains(p.Name)))).ToList();

        Assert.Equal(["graddescent-silo"], silos.Select(s => s.Name));
        foreach (var silo in silos)
        {
            Assert.Empty(Violations(manifests, silo, OrleansPorts, ManifestLabels.ClusterMembers));
        }
    }

    [Fact]
    public void NetworkPolicy_Postgres_AdmitsOnlyGradDescentProcesses()
    {
        var manifests = Overlays.Render(Overlays.Dev);
        var allowed = new HashSet<string>(ManifestLabels.ClusterMembers) { "schema" };

        Assert.Empty(Violations(manifests, manifests.Workload("postgres"), ["postgres"], allowed));
    }

    [Theory]
    [MemberData(nameof(Overlays.Names), MemberType = typeof(Overlays))]
    public void NetworkPolicy_EveryPod_IsSelectedByAnIngressPolicy(string overlay)
    {
        var manifests = Overlays.Render(overlay);
        foreach (var workload in manifests.Workloads.Where(w => w.Component is not ("prometheus" or "grafana")))
        {
            Assert.True(Selecting(manifests, workload).Any(), $"no NetworkPolicy selects {workload.Id}");
        }
    }

    [Fact]
    public void Violations_APolicyOpeningTheGatewayToAnyPod_IsReported()
    {
        var manifests = Overlays.Render(Overlays.Dev);
        var silo = manifests.Workload("graddescent-silo");
        var open = new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = new V1ObjectMeta { Name = "too-open", NamespaceProperty = Overlays.Namespace },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [ManifestLabels.Component] = "silo" } },
                PolicyTypes = ["Ingress"],
                Ingress = [new V1NetworkPolicyIngressRule { Ports = [new V1NetworkPolicyPort { Port = "gateway" }] }],
            },
        };

        var violations = Violations(manifests.With(open), silo, OrleansPorts, ManifestLabels.ClusterMembers);

        Assert.Equal(["NetworkPolicy too-open opens port gateway of Deployment/graddescent-silo to any source"], violations);
    }

    /// <summary>
    /// Why <paramref name="workload"/>'s <paramref name="ports"/> are reachable by more than pods of this
    /// namespace whose component is in <paramref name="allowed"/> (empty: they are not).
    /// </summary>
    private static List<string> Violations(ManifestSet manifests, Workload workload, IReadOnlyCollection<string> ports, IReadOnlySet<string> allowed)
    {
        var violations = new List<string>();
        var policies = Selecting(manifests, workload).ToList();
        if (policies.Count == 0)
        {
            return [$"no NetworkPolicy selects {workload.Id}: every source reaches it"];
        }

        var numbers = workload.Pod.Containers.SelectMany(c => c.Ports ?? []).ToDictionary(p => p.Name, p => p.ContainerPort);
        foreach (var policy in policies)
        {
            foreach (var rule in policy.Spec.Ingress ?? [])
            {
                foreach (var port in ports.Where(p => rule.Ports is null || rule.Ports.Any(r => r.Port?.Value == p || r.Port?.Value == numbers[p].ToString(System.Globalization.CultureInfo.InvariantCulture))))
                {
                    if (rule.FromProperty is null or { Count: 0 })
                    {
                        violations.Add($"NetworkPolicy {policy.Metadata.Name} opens port {port} of {workload.Id} to any source");
                        continue;
                    }

                    foreach (var peer in rule.FromProperty)
                    {
                        if (peer.IpBlock is not null || peer.NamespaceSelector is not null || peer.PodSelector is null || !AdmitsOnly(peer.PodSelector, allowed))
                        {
                            violations.Add($"NetworkPolicy {policy.Metadata.Name} opens port {port} of {workload.Id} beyond {string.Join(", ", allowed)}");
                        }
                    }
                }
            }
        }

        return violations;
    }

    private static IEnumerable<V1NetworkPolicy> Selecting(ManifestSet manifests, Workload workload) =>
        manifests.All<V1NetworkPolicy>().Where(p => p.Spec.PolicyTypes.Contains("Ingress") && LabelSelectors.Matches(p.Spec.PodSelector, workload.PodLabels));

    /// <summary>True when the selector requires part-of graddescent and a component in <paramref name="allowed"/>.</summary>
    private static bool AdmitsOnly(V1LabelSelector selector, IReadOnlySet<string> allowed)
    {
        var partOf = selector.MatchLabels?.TryGetValue(ManifestLabels.PartOf, out var value) is true && value == ManifestLabels.AppName;
        var component = (selector.MatchExpressions ?? []).Any(e => e.Key == ManifestLabels.Component && e.OperatorProperty == "In" && e.Values.All(allowed.Contains))
            || (selector.MatchLabels?.TryGetValue(ManifestLabels.Component, out var single) is true && allowed.Contains(single));
        return partOf && component;
    }
}
