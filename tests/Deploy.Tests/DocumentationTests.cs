using System.Text.RegularExpressions;
using GradDescent.Abstractions.Trials;
using GradDescent.Deploy.Testing;
using GradDescent.Deploy.Tests.Infrastructure;
using GradDescent.Silo.Cli;

namespace GradDescent.Deploy.Tests;

/// <summary>
/// README's configuration table and docs/metrics.md say what the product reads and exports: every setting of every
/// options class (read by reflection, as the manifests' environment is checked), every metric family the dashboard
/// and alerts may use, every outcome, every Grafana panel.
/// </summary>
public sealed partial class DocumentationTests
{
    private static readonly string Readme = File.ReadAllText(RepositoryLayout.PathOf("README.md"));
    private static readonly string MetricsDoc = File.ReadAllText(RepositoryLayout.PathOf("docs/metrics.md"));

    [Fact]
    public void ReadmeConfigurationTable_ListsEverySettingOfEveryOptionsClass()
    {
        var documented = ReadmeKeys().Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        var settings = ConfigurationKeys.Exact.Concat(ConfigurationKeys.Prefixes).Order(StringComparer.Ordinal);
        var missing = settings.Where(k => !documented.Contains(k)).ToList();

        Assert.True(missing.Count == 0, $"README's configuration table lacks {string.Join(", ", missing)}");
    }

    [Fact]
    public void ReadmeConfigurationTable_ListsNoSettingTheProductDoesNotRead()
    {
        var known = ConfigurationKeys.Exact.Concat(ConfigurationKeys.Prefixes).ToHashSet(StringComparer.Ordinal);
        var unknown = ReadmeKeys().Select(k => k.Key).Where(k => !known.Contains(k)).ToList();

        Assert.True(unknown.Count == 0, $"README's configuration table lists {string.Join(", ", unknown)}, which no options class reads");
    }

    [Fact]
    public void ReadmeConfigurationTable_NamesEachFlagOnTheRowOfItsSetting()
    {
        var rows = ReadmeKeys().ToLookup(k => k.Key, k => k.Row, StringComparer.Ordinal);
        foreach (var (flag, key) in CliOptions.ConfigurationKeys)
        {
            var variable = key.Replace(":", "__", StringComparison.Ordinal);
            Assert.True(rows[variable].Any(row => row.Contains($"flag `{flag}`", StringComparison.Ordinal)), $"README's row of {variable} does not name its flag {flag}");
        }
    }

    [Fact]
    public void ReadmeKeys_RowWithShorthands_ExpandsEachToAFullKey()
    {
        var keys = ReadmeKeys().Select(k => k.Key).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string> { "GradDescent__Cluster__ClusterId", "GradDescent__Cluster__ServiceId", "GradDescent__Dashboard__ApiKeys__", "GradDescent__Cluster__Tls__CaPath" }, keys);
    }

    [Fact]
    public void MetricsDoc_SeriesTable_IsTheCatalogOfGradDescentMetrics()
    {
        var documented = SeriesTableNames().ToHashSet(StringComparer.Ordinal);

        Assert.Equal(MetricCatalog.GradDescent.Select(f => f.Name).Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MetricsDoc_OutcomeLabel_ListsEveryTrialStatus()
    {
        var row = MetricsDoc.Split('\n').Single(l => l.StartsWith("| `graddescent_trials_completed_total` |", StringComparison.Ordinal));

        Assert.All(Enum.GetNames<TrialStatus>(), status => Assert.Contains($"`{status.ToLowerInvariant()}`", row, StringComparison.Ordinal));
    }

    [Fact]
    public void MetricsDoc_DashboardSection_ListsEveryPanelOfTheDashboard()
    {
        var dashboard = GrafanaDashboard.Load(Path.Combine(RepositoryLayout.Grafana, "graddescent-overview.json"));
        var section = MetricsDoc[MetricsDoc.IndexOf("## Grafana dashboard", StringComparison.Ordinal)..];
        var listed = section.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Select(l => l.Split('|')[2].Trim()).ToHashSet(StringComparer.Ordinal);

        foreach (var panel in dashboard.Panels.Where(p => (string?)p["type"] != "row"))
        {
            Assert.Contains((string)panel["title"]!, listed);
        }
    }

    /// <summary>
    /// The keys of README's configuration table: a cell such as <c>`GradDescent__Cluster__SiloPort` / `GatewayPort`</c>
    /// names two keys (a shorthand replaces the last segment), and <c>`GradDescent__Files__Roots__0`, `__1`, …</c> the
    /// indexed prefix <c>GradDescent__Files__Roots__</c>.
    /// </summary>
    private static IEnumerable<(string Key, string Row)> ReadmeKeys()
    {
        foreach (var row in Readme.Split('\n').Where(l => l.StartsWith("| `GradDescent__", StringComparison.Ordinal)))
        {
            var cell = row.Split('|')[1];
            var names = Code().Matches(cell).Select(m => m.Groups[1].Value).ToList();
            var first = names[0];
            if (names.Skip(1).Any(n => n.StartsWith("__", StringComparison.Ordinal)))
            {
                yield return (first[..(first.LastIndexOf("__", StringComparison.Ordinal) + 2)], row);
                continue;
            }

            yield return (first, row);
            var parent = first[..(first.LastIndexOf("__", StringComparison.Ordinal) + 2)];
            foreach (var shorthand in names.Skip(1))
            {
                yield return (parent + shorthand, row);
            }
        }
    }

    /// <summary>The series names of docs/metrics.md's table under "## Series".</summary>
    private static IEnumerable<string> SeriesTableNames()
    {
        var section = MetricsDoc[MetricsDoc.IndexOf("## Series", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", StringComparison.Ordinal)];
        return section.Split('\n')
            .Where(l => l.StartsWith("| `graddescent_", StringComparison.Ordinal))
            .Select(l => Code().Match(l).Groups[1].Value);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}
