using System.Globalization;
using System.Text;
using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace GradDescent.Deploy.Tests;

/// <summary>deploy/grafana/graddescent-overview.json: structure, queries Prometheus accepts, metrics that exist, and its arithmetic.</summary>
public sealed class GrafanaDashboardTests
{
    private static readonly string DashboardFile = Path.Combine(RepositoryLayout.Grafana, "graddescent-overview.json");

    private static GrafanaDashboard Dashboard => GrafanaDashboard.Load(DashboardFile);

    [Fact]
    public void Dashboard_Datasource_IsAVariableEveryPanelAndQueryUses()
    {
        var variable = Dashboard.Variables["datasource"];

        Assert.Equal(("datasource", "prometheus"), ((string)variable["type"]!, (string)variable["query"]!));
        foreach (var panel in Dashboard.Panels.Where(p => (string?)p["type"] != "row"))
        {
            Assert.Equal("${datasource}", (string?)panel["datasource"]?["uid"]);
        }

        Assert.All(Dashboard.Queries, q => Assert.Equal("${datasource}", q.DatasourceUid));
        Assert.All(Dashboard.Variables.Values.Where(v => (string?)v["type"] == "query"), v => Assert.Equal("${datasource}", (string?)v["datasource"]?["uid"]));
    }

    [Fact]
    public void Dashboard_Panels_HaveUniqueIdsAndDoNotOverlap()
    {
        var panels = Dashboard.Panels;
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());

        var cells = new HashSet<(int X, int Y)>();
        foreach (var panel in panels)
        {
            var (x, y, w, h) = ((int)panel["gridPos"]!["x"]!, (int)panel["gridPos"]!["y"]!, (int)panel["gridPos"]!["w"]!, (int)panel["gridPos"]!["h"]!);
            Assert.True(x >= 0 && w > 0 && x + w <= 24, $"panel {panel["title"]} is outside the 24 columns");
            for (var i = x; i < x + w; i++)
            {
                for (var j = y; j < y + h; j++)
                {
                    Assert.True(cells.Add((i, j)), $"panel {panel["title"]} overlaps another at ({i}, {j})");
                }
            }
        }
    }

    [Fact]
    public void Dashboard_Queries_UseOnlyDefinedVariables()
    {
        foreach (var query in Dashboard.Queries)
        {
            foreach (var name in GrafanaDashboard.VariablesIn(query.Expression))
            {
                Assert.True(Dashboard.Variables.ContainsKey(name), $"{query.PanelTitle} {query.RefId} uses ${name}, which the dashboard does not define");
            }
        }
    }

    [Fact]
    public void Dashboard_Queries_ArePromQlPrometheusAccepts()
    {
        var queries = Dashboard.Queries;
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        foreach (var query in queries)
        {
            rules.AppendLine(CultureInfo.InvariantCulture, $"      - record: dashboard:panel_{query.PanelId}:{query.RefId}")
                .AppendLine(CultureInfo.InvariantCulture, $"        expr: '{GrafanaDashboard.Substitute(query.Expression).Replace("'", "''", StringComparison.Ordinal)}'");
        }

        var folder = Directory.CreateTempSubdirectory("graddescent-dashboard-");
        try
        {
            var file = Path.Combine(folder.FullName, "dashboard.rules.yaml");
            File.WriteAllText(file, rules.ToString());
            var result = PromTool.CheckRules(file);

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains($"SUCCESS: {queries.Count} rules found", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Dashboard_Queries_SelectOnlyMetricsGradDescentProcessesExport()
    {
        foreach (var query in Dashboard.Queries)
        {
            foreach (var name in PromQl.MetricNames(query.Expression))
            {
                Assert.True(MetricCatalog.FamilyOf(name) is not null, $"{query.PanelTitle} {query.RefId} selects {name}, which no GradDescent process exports");
            }
        }

        foreach (var variable in Dashboard.Variables.Values.Where(v => (string?)v["type"] == "query"))
        {
            var metric = ((string)variable["definition"]!).Split('(', ',')[1].Trim();
            Assert.NotNull(MetricCatalog.FamilyOf(metric));
        }
    }

    [Fact]
    public void Dashboard_Queries_ShowEveryGradDescentMetricAndTheProcessHealth()
    {
        var used = Dashboard.Queries.SelectMany(q => PromQl.MetricNames(q.Expression)).Select(n => MetricCatalog.FamilyOf(n)!.Name).ToHashSet();
        var expected = MetricCatalog.All.Where(f => f.Name is not "up" and not "graddescent_worker_batches_total").Select(f => f.Name);

        Assert.Empty(expected.Except(used));
    }

    [Fact]
    public void Dashboard_SweepProgressAndEta_ComputeFromStoredTrials()
    {
        var progress = Query("Sweep progress");
        var eta = Query("Sweep ETA");

        // Sweep s1: 100 trials, one stored per minute, reported by two silos; at 20 minutes 20 are stored,
        // so 80 remain at 1/60 per second: 4800 s. Sweep s2 stored nothing for 10 minutes: no ETA.
        var result = new PromQlTest()
            .Series("graddescent_sweep_trials{job=\"graddescent-silo\", instance=\"a\", sweep=\"s1\"}", "100x25")
            .Series("graddescent_sweep_trials{job=\"graddescent-silo\", instance=\"b\", sweep=\"s1\"}", "100x25")
            .Series("graddescent_sweep_trials_done{job=\"graddescent-silo\", instance=\"a\", sweep=\"s1\"}", "0+1x25")
            .Series("graddescent_sweep_trials_done{job=\"graddescent-silo\", instance=\"b\", sweep=\"s1\"}", "0+1x25")
            .Series("graddescent_sweep_trials{job=\"graddescent-silo\", instance=\"a\", sweep=\"s2\"}", "50x25")
            .Series("graddescent_sweep_trials_done{job=\"graddescent-silo\", instance=\"a\", sweep=\"s2\"}", "10x25")
            .Expect(GrafanaDashboard.Substitute(progress), "20m", new ExpectedSample("{sweep=\"s1\"}", 0.2), new ExpectedSample("{sweep=\"s2\"}", 0.2))
            .Expect(GrafanaDashboard.Substitute(eta), "20m", new ExpectedSample("{sweep=\"s1\"}", 4800))
            .Run();

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void Dashboard_DivergenceAndPruningRate_AreTheirSharesOfStoredTrials()
    {
        const string Panel = "Divergence, failure and pruning rate";
        var divergence = Dashboard.Queries.Single(q => q.PanelTitle == Panel && q.RefId == "A").Expression;
        var pruning = Dashboard.Queries.Single(q => q.PanelTitle == Panel && q.RefId == "C").Expression;

        // Per minute: 2 completed, 1 diverged, 1 pruned, no failure.
        var result = new PromQlTest()
            .Series("graddescent_trials_completed_total{experiment=\"linear-regression\", outcome=\"completed\"}", "0+2x20")
            .Series("graddescent_trials_completed_total{experiment=\"linear-regression\", outcome=\"diverged\"}", "0+1x20")
            .Series("graddescent_trials_completed_total{experiment=\"linear-regression\", outcome=\"pruned\"}", "0+1x20")
            .Series("graddescent_trials_completed_total{experiment=\"linear-regression\", outcome=\"failed\"}", "0x20")
            .Expect(GrafanaDashboard.Substitute(divergence, "5m"), "10m", new ExpectedSample("{experiment=\"linear-regression\"}", 0.25))
            .Expect(GrafanaDashboard.Substitute(pruning, "5m"), "10m", new ExpectedSample("{experiment=\"linear-regression\"}", 0.25))
            .Run();

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void Dashboard_PausedSweeps_CountsTheStoresPausedSweepsOnceOverSilos()
    {
        var paused = Dashboard.Queries.Single(q => q.PanelTitle == "Active and paused sweeps" && q.RefId == "B").Expression;

        // Two silos read the same store: 2 paused sweeps, reported by both.
        var result = new PromQlTest()
            .Series("graddescent_sweeps{job=\"graddescent-silo\", instance=\"a\", status=\"paused\"}", "2x10")
            .Series("graddescent_sweeps{job=\"graddescent-silo\", instance=\"b\", status=\"paused\"}", "2x10")
            .Series("graddescent_sweeps{job=\"graddescent-silo\", instance=\"a\", status=\"running\"}", "5x10")
            .Expect(GrafanaDashboard.Substitute(paused), "5m", new ExpectedSample("{}", 2))
            .Run();

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void Dashboard_WaitingSweeps_SumsEveryReasonOverSilos()
    {
        var waiting = Dashboard.Queries.Single(q => q.PanelTitle == "Active and paused sweeps" && q.RefId == "C").Expression;

        // Only the silo holding the dispatcher counts waiting sweeps; the other reports zeros.
        var result = new PromQlTest()
            .Series("graddescent_sweeps_unplaced{job=\"graddescent-silo\", instance=\"a\", reason=\"no_matching_worker\"}", "1x10")
            .Series("graddescent_sweeps_unplaced{job=\"graddescent-silo\", instance=\"a\", reason=\"awaiting_fallback\"}", "2x10")
            .Series("graddescent_sweeps_unplaced{job=\"graddescent-silo\", instance=\"b\", reason=\"no_matching_worker\"}", "0x10")
            .Series("graddescent_sweeps_unplaced{job=\"graddescent-silo\", instance=\"b\", reason=\"awaiting_fallback\"}", "0x10")
            .Expect(GrafanaDashboard.Substitute(waiting), "5m", new ExpectedSample("{}", 3))
            .Run();

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void DashboardConfigMap_Production_IsTheFileLabelledForGrafanasSidecar()
    {
        var map = Overlays.Render(Overlays.Production).Get<V1ConfigMap>("graddescent-grafana-dashboards");

        Assert.Equal(File.ReadAllText(DashboardFile), map.Data["graddescent-overview.json"]);
        Assert.Equal("1", map.Metadata.Labels["grafana_dashboard"]);
        Assert.Equal("GradDescent", map.Metadata.Annotations["grafana_folder"]);
    }

    [Fact]
    public void DevGrafana_MountsTheDashboardWhereItsProviderLooks()
    {
        var manifests = Overlays.Render(Overlays.Dev);
        var grafana = manifests.Workload("grafana");
        var container = grafana.Pod.Containers.Single();
        var provisioning = manifests.All<V1ConfigMap>().Single(m => m.Metadata.Name.StartsWith("grafana-provisioning-", StringComparison.Ordinal));
        var dashboards = container.VolumeMounts.Single(m => m.Name == "dashboards");

        Assert.Equal("graddescent-grafana-dashboards", grafana.Pod.Volumes.Single(v => v.Name == "dashboards").ConfigMap.Name);
        Assert.Contains($"path: {dashboards.MountPath}\n", provisioning.Data["dashboards.yaml"], StringComparison.Ordinal);
        Assert.Contains("url: http://prometheus:9090\n", provisioning.Data["datasources.yaml"], StringComparison.Ordinal);
        Assert.NotNull(manifests.Get<V1Service>("prometheus").Spec.Ports.Single(p => p.Port == 9090));
    }

    [Fact]
    public void Provisioning_LocalGrafana_PointsAtTheLocalPrometheusAndTheDashboardFolder()
    {
        var datasources = File.ReadAllText(Path.Combine(RepositoryLayout.Grafana, "provisioning", "datasources", "graddescent.yaml"));
        var providers = File.ReadAllText(Path.Combine(RepositoryLayout.Grafana, "provisioning", "dashboards", "graddescent.yaml"));

        Assert.Contains("url: http://127.0.0.1:9090\n", datasources, StringComparison.Ordinal);
        Assert.Contains("path: ${GRADDESCENT_GRAFANA_DASHBOARDS}\n", providers, StringComparison.Ordinal);
    }

    private static string Query(string panelTitle) => Assert.Single(Dashboard.Queries, q => q.PanelTitle == panelTitle).Expression;
}
