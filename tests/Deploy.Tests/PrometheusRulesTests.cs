using System.Text.Json;
using System.Text.Json.Nodes;
using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Testing.CustomResources;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>deploy/prometheus: rules pass promtool's checks and unit tests, and every copy of them is the same.</summary>
public sealed class PrometheusRulesTests
{
    private static readonly string RulesFile = Path.Combine(RepositoryLayout.Prometheus, "rules.yaml");

    private static RuleFile Rules => KubernetesYaml.Deserialize<RuleFile>(File.ReadAllText(RulesFile), strict: true);

    [Fact]
    public void CheckRules_RulesFile_Passes()
    {
        var result = PromTool.CheckRules(RulesFile);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"SUCCESS: {Rules.Groups.Sum(g => g.Rules.Count)} rules found", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TestRules_UnitTests_Pass()
    {
        var result = PromTool.TestRules(Path.Combine(RepositoryLayout.Prometheus, "rules.test.yaml"));

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void TestRules_UnitTests_CoverEveryAlertFiringAndSilent()
    {
        var tests = File.ReadAllText(Path.Combine(RepositoryLayout.Prometheus, "rules.test.yaml"));

        foreach (var alert in Rules.Groups.SelectMany(g => g.Rules).Select(r => r.Alert))
        {
            var occurrences = tests.Split($"alertname: {alert}\n").Length - 1;
            Assert.True(occurrences >= 2, $"rules.test.yaml evaluates {alert} {occurrences} time(s); a firing and a silent case are needed");
        }
    }

    [Fact]
    public void Rules_Alerts_CoverTheOperatorsQuestions() =>
        Assert.Equal(
            ["GradDescentLeaseExpiriesRising", "GradDescentSiloDown", "GradDescentStoreWriteErrors", "GradDescentSweepStalled", "GradDescentWorkerDown"],
            Rules.Groups.SelectMany(g => g.Rules).Select(r => r.Alert!).Order(StringComparer.Ordinal));

    [Fact]
    public void Rules_EveryAlert_HasSeveritySummaryAndDescription()
    {
        foreach (var rule in Rules.Groups.SelectMany(g => g.Rules))
        {
            Assert.Contains(rule.Labels!["severity"], new[] { "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations!["summary"]), $"{rule.Alert} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations["description"]), $"{rule.Alert} has no description");
        }
    }

    [Fact]
    public void Rules_EveryMetric_IsOneGradDescentOrItsInstrumentationExports()
    {
        foreach (var rule in Rules.Groups.SelectMany(g => g.Rules))
        {
            foreach (var name in PromQl.MetricNames(rule.Expr))
            {
                Assert.True(MetricCatalog.FamilyOf(name) is not null, $"{rule.Alert} selects {name}, which no GradDescent process exports");
            }
        }
    }

    [Fact]
    public void PrometheusRule_Production_HoldsTheGroupsOfTheRulesFile()
    {
        var rule = Overlays.Render(Overlays.Production).Get<PrometheusRule>("graddescent");

        Assert.Equal(Canonical(Rules.Groups), Canonical(rule.Spec.Groups));
    }

    [Fact]
    public void Canonical_RulesThatDifferInOneAnnotation_Differ()
    {
        var changed = Rules;
        changed.Groups[0].Rules[0].Annotations!["summary"] += ".";

        Assert.NotEqual(Canonical(Rules.Groups), Canonical(changed.Groups));
    }

    [Fact]
    public void RulesConfigMap_Dev_HoldsTheRulesFile()
    {
        var map = Overlays.Render(Overlays.Dev).All<V1ConfigMap>().Single(m => m.Metadata.Name.StartsWith("graddescent-prometheus-rules-", StringComparison.Ordinal));

        Assert.Equal(File.ReadAllText(RulesFile), map.Data["rules.yaml"]);
    }

    [Fact]
    public void CheckConfig_LocalPrometheus_PassesAndScrapesTheContractJobs()
    {
        var file = Path.Combine(RepositoryLayout.Prometheus, "prometheus.yml");
        var result = PromTool.CheckConfig(file);

        Assert.True(result.ExitCode == 0, result.Output);
        var jobs = File.ReadAllText(file).Split("- job_name: ")[1..].ToDictionary(s => s[..s.IndexOf('\n', StringComparison.Ordinal)], s => s);
        Assert.Equal(["graddescent-dashboard", "graddescent-silo", "graddescent-worker"], jobs.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("\"127.0.0.1:9464\"", jobs["graddescent-silo"], StringComparison.Ordinal);
        Assert.Contains("\"127.0.0.1:9465\"", jobs["graddescent-worker"], StringComparison.Ordinal);
        Assert.Contains("\"127.0.0.1:8080\"", jobs["graddescent-dashboard"], StringComparison.Ordinal);
    }

    [Fact]
    public void CheckConfig_DevInClusterPrometheus_PassesAndLoadsTheMountedRules()
    {
        var manifests = Overlays.Render(Overlays.Dev);
        var config = manifests.All<V1ConfigMap>().Single(m => m.Metadata.Name.StartsWith("prometheus-config-", StringComparison.Ordinal));
        var prometheus = manifests.Workload("prometheus");
        var folder = Directory.CreateTempSubdirectory("graddescent-prometheus-");
        try
        {
            var file = Path.Combine(folder.FullName, "prometheus.yml");
            File.WriteAllText(file, config.Data["prometheus.yml"]);
            var result = PromTool.CheckConfig(file);

            Assert.True(result.ExitCode == 0, result.Output);
            var rulesMount = prometheus.Pod.Containers.Single().VolumeMounts.Single(m => m.Name == "rules");
            Assert.Contains($"{rulesMount.MountPath}/*.yaml", config.Data["prometheus.yml"], StringComparison.Ordinal);
            Assert.StartsWith("graddescent-prometheus-rules-", prometheus.Pod.Volumes.Single(v => v.Name == "rules").ConfigMap.Name, StringComparison.Ordinal);
            foreach (var job in new[] { "graddescent-silo", "graddescent-worker", "graddescent-dashboard" })
            {
                Assert.Contains($"job_name: {job}", config.Data["prometheus.yml"], StringComparison.Ordinal);
                Assert.NotNull(manifests.Get<V1Service>(job));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>JSON with object keys sorted (kustomize renders maps in key order).</summary>
    private static string Canonical(object value) => Sort(JsonSerializer.SerializeToNode(value))?.ToJsonString() ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sort)]),
        _ => node?.DeepClone(),
    };
}
