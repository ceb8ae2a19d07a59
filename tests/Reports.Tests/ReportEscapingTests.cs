using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Reports.Document;
using GradDescent.Reports.Tests.Infrastructure;
using GradDescent.Storage;

namespace GradDescent.Reports.Tests;

/// <summary>User strings (sweep name, description, parameter values) reach summary.md and index.html only escaped.</summary>
public sealed class ReportEscapingTests : IAsyncLifetime
{
    private const string Name = "<script>alert('name')</script>";
    private const string Description = "<script>alert('description')</script> *bold* [link](javascript:alert(1)) | pipe\n# not a heading\n<img src=x onerror=alert(2)>";
    private static readonly string[] DataValues = ["<script>alert('param')</script>|x.csv", "1. _under_ `code` ~strike~ &amp; \\.csv"];

    private readonly TestDatabases databases = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await databases.DisposeAsync();

    [Fact]
    public async Task WriteAsync_HostileNameDescriptionAndParameters_SummaryAndPageShowThemLiterally()
    {
        var store = await databases.SqliteAsync();
        await StoreHostileSweepAsync(store);
        var sweeps = await SweepReportWriter.ResolveAsync(store, ["hostile"], CancellationToken.None);

        var folder = await SweepReportWriter.WriteAsync(store, sweeps, Path.Combine(databases.Folder, "report"), CancellationToken.None);

        var summary = await File.ReadAllTextAsync(Path.Combine(folder, "summary.md"));
        var html = await File.ReadAllTextAsync(Path.Combine(folder, "index.html"));
        Assert.DoesNotContain("<script", summary, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", summary, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert('name')&lt;/script&gt;: linear-regression", summary, StringComparison.Ordinal);
        Assert.Contains(
            "Description: &lt;script&gt;alert('description')&lt;/script&gt; \\*bold\\* \\[link\\](javascript:alert(1)) \\| pipe # not a heading &lt;img src=x onerror=alert(2)&gt;",
            summary,
            StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert('param')&lt;/script&gt;\\|x.csv", summary, StringComparison.Ordinal);
        Assert.Contains("\\_under\\_ \\`code\\` \\~strike\\~ &amp;amp; \\\\.csv", summary, StringComparison.Ordinal);
        Assert.Single(summary.Split('\n'), line => line.StartsWith("# ", StringComparison.Ordinal));
        Assert.Contains("&lt;script&gt;alert(&#39;description&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);

        // Every table keeps its columns: the pipe in a parameter value is escaped, not a cell boundary.
        foreach (var table in Tables(summary))
        {
            Assert.All(table, row => Assert.Equal(Cells(table[0]), Cells(row)));
        }
    }

    [Theory]
    [InlineData("# heading", "\\# heading")]
    [InlineData("- item", "\\- item")]
    [InlineData("12. item", "12\\. item")]
    [InlineData("   + indented", "\\+ indented")]
    [InlineData("a\r\nb\tc\u0007d", "a  b cd")]
    [InlineData("<b>&</b>", "&lt;b&gt;&amp;&lt;/b&gt;")]
    [InlineData("![x](y)", "!\\[x\\](y)")]
    public void Escape_MarkdownThatWouldBeInterpreted_ShownLiterally(string text, string expected) =>
        Assert.Equal(expected, MarkdownText.Escape(text));

    [Theory]
    [InlineData("ranking.csv", "ranking.csv")]
    [InlineData("javascript:alert(1)/ranking.csv", "javascript%3Aalert%281%29/ranking.csv")]
    [InlineData("a b/c.png", "a%20b/c.png")]
    public void Link_RelativePath_PercentEncodedSegments(string path, string expected) =>
        Assert.Equal(expected, MarkdownText.Link(path));

    private static async Task StoreHostileSweepAsync(IResultStore store)
    {
        var spec = $"name: hostile\nexperiment: linear-regression\ndescription: {System.Text.Json.JsonSerializer.Serialize(Description)}\n";
        await store.CreateSweepAsync(KnownSweep.Sweep("hostile", Name, LinearRegressionDefinition.Name, 8) with { Spec = spec, SpecFormat = "yaml" });
        var results = new List<TrialResult>();
        var index = 0L;
        foreach (var data in DataValues)
        {
            foreach (var optimizer in new[] { "adam", "gd" })
            {
                for (var seed = 0; seed < 2; seed++)
                {
                    var parameters = LinearRegressionDefinition.Instance.Bind([new("optimizer", optimizer), new("data", data), new("iterations", "3")]);
                    results.Add(KnownSweep.Result("hostile", index, LinearRegressionDefinition.Name, parameters, seed, TrialStatus.Completed) with
                    {
                        Metrics = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, double> { ["mse"] = 10 + index }),
                        Steps = [new StepSeries("loss", [30f, 20f, 10f + index]), new StepSeries("slope", [1f, 2f, 3f]), new StepSeries("intercept", [0f, 1f, 2f])],
                    });
                    index++;
                }
            }
        }

        await store.SaveResultsAsync(results);
    }

    /// <summary>The Markdown tables: runs of lines starting with '|', without the separator line.</summary>
    private static List<List<string>> Tables(string markdown)
    {
        var tables = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in markdown.Split('\n'))
        {
            if (!line.StartsWith('|'))
            {
                current = null;
                continue;
            }

            if (current is null)
            {
                current = [];
                tables.Add(current);
            }

            if (!line.StartsWith("|---", StringComparison.Ordinal))
            {
                current.Add(line);
            }
        }

        Assert.NotEmpty(tables);
        return tables;
    }

    /// <summary>Cell boundaries: pipes not escaped by a backslash.</summary>
    private static int Cells(string row) => row.Where((c, i) => c == '|' && (i == 0 || row[i - 1] != '\\')).Count();
}
