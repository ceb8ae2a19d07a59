using System.Globalization;
using System.Text;

namespace GradDescent.Deploy.Testing;

/// <summary>An input series in promtool's notation, e.g. ("up{job=\"x\"}", "1 1 0x5").</summary>
public sealed record InputSeries(string Series, string Values);

/// <summary>An expected sample of a promtool promql_expr_test: its labels ("{}" for none) and value.</summary>
public sealed record ExpectedSample(string Labels, double Value);

/// <summary>
/// Evaluates PromQL expressions on made-up series with <c>promtool test rules</c> (promql_expr_test), so a
/// query's arithmetic is checked by Prometheus' own engine without a running server.
/// </summary>
public sealed class PromQlTest
{
    private readonly List<InputSeries> inputs = [];
    private readonly List<(string Expression, string EvalTime, IReadOnlyList<ExpectedSample> Expected)> cases = [];

    public PromQlTest Series(string series, string values)
    {
        inputs.Add(new InputSeries(series, values));
        return this;
    }

    public PromQlTest Expect(string expression, string evalTime, params ExpectedSample[] expected)
    {
        cases.Add((expression, evalTime, expected));
        return this;
    }

    /// <summary>Writes the test file into a temporary folder and runs promtool on it.</summary>
    public ToolResult Run(string interval = "1m")
    {
        var folder = Directory.CreateTempSubdirectory("graddescent-promql-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "empty.rules.yaml"), "groups: []\n");
            var yaml = new StringBuilder()
                .AppendLine("rule_files: [empty.rules.yaml]")
                .AppendLine("tests:")
                .AppendLine(CultureInfo.InvariantCulture, $"  - interval: {interval}")
                .AppendLine("    input_series:");
            foreach (var input in inputs)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"      - series: {Quote(input.Series)}")
                    .AppendLine(CultureInfo.InvariantCulture, $"        values: {Quote(input.Values)}");
            }

            yaml.AppendLine("    promql_expr_test:");
            foreach (var (expression, evalTime, expected) in cases)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"      - expr: {Quote(expression)}")
                    .AppendLine(CultureInfo.InvariantCulture, $"        eval_time: {evalTime}")
                    .AppendLine(expected.Count == 0 ? "        exp_samples: []" : "        exp_samples:");
                foreach (var sample in expected)
                {
                    yaml.AppendLine(CultureInfo.InvariantCulture, $"          - labels: {Quote(sample.Labels)}")
                        .AppendLine(CultureInfo.InvariantCulture, $"            value: {sample.Value.ToString("R", CultureInfo.InvariantCulture)}");
                }
            }

            var file = Path.Combine(folder.FullName, "expressions.test.yaml");
            File.WriteAllText(file, yaml.ToString());
            return PromTool.TestRules(file);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A single-quoted YAML scalar.</summary>
    private static string Quote(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
