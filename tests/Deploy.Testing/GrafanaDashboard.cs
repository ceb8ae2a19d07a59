using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GradDescent.Deploy.Testing;

/// <summary>One query of a dashboard panel.</summary>
public sealed record DashboardQuery(int PanelId, string PanelTitle, string RefId, string Expression, string? DatasourceUid);

/// <summary>
/// A Grafana dashboard JSON file read with System.Text.Json: its panels, template variables and PromQL
/// queries, and the queries with Grafana's variables replaced so Prometheus (or promtool) can run them.
/// </summary>
public sealed partial class GrafanaDashboard
{
    private GrafanaDashboard(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public static GrafanaDashboard Load(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidOperationException($"{path} is not a JSON object"));

    /// <summary>Every panel, rows and panels nested in collapsed rows included.</summary>
    public IReadOnlyList<JsonObject> Panels =>
        [.. (Root["panels"]?.AsArray() ?? []).OfType<JsonObject>()
            .SelectMany(p => new[] { p }.Concat((p["panels"]?.AsArray() ?? []).OfType<JsonObject>()))];

    /// <summary>Template variables by name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Variables =>
        (Root["templating"]?["list"]?.AsArray() ?? []).OfType<JsonObject>().ToDictionary(v => (string)v["name"]!, v => v);

    public IReadOnlyList<DashboardQuery> Queries =>
    [
        .. Panels.Where(p => (string?)p["type"] != "row").SelectMany(p => (p["targets"]?.AsArray() ?? []).OfType<JsonObject>().Select(t =>
            new DashboardQuery((int)p["id"]!, (string)p["title"]!, (string)t["refId"]!, (string)t["expr"]!, (string?)t["datasource"]?["uid"]))),
    ];

    /// <summary>The names of the $variables an expression uses ($__ built-ins excluded).</summary>
    public static IReadOnlyList<string> VariablesIn(string expression) =>
        [.. Variable().Matches(expression).Select(m => m.Groups["name"].Value).Where(n => !n.StartsWith("__", StringComparison.Ordinal)).Distinct()];

    /// <summary>
    /// The expression as Grafana sends it with every multi-value variable at "All" (regex .*) and
    /// $__rate_interval / $__interval at <paramref name="rateInterval"/>.
    /// </summary>
    public static string Substitute(string expression, string rateInterval = "1m") =>
        Variable().Replace(expression, m => m.Groups["name"].Value is "__rate_interval" or "__interval" ? rateInterval : ".*");

    /// <summary>
    /// The expression as Grafana sends it with each variable named in <paramref name="values"/> at that single
    /// value (regex characters escaped, as Grafana formats a value inside <c>=~"..."</c>), every other variable
    /// at "All" (.*), <c>$__rate_interval</c> at <paramref name="rateInterval"/> and <c>$__interval</c> at
    /// <paramref name="interval"/>.
    /// </summary>
    public static string Substitute(string expression, IReadOnlyDictionary<string, string> values, string rateInterval, string interval) =>
        Variable().Replace(expression, m => m.Groups["name"].Value switch
        {
            "__rate_interval" => rateInterval,
            "__interval" => interval,
            var name when values.TryGetValue(name, out var value) => EscapeRegex(value),
            _ => ".*",
        });

    /// <summary>A label value as a PromQL regex inside a double-quoted string (metacharacters get <c>\\</c>).</summary>
    public static string EscapeRegex(string value) =>
        string.Concat(value.Select(c => @"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal) ? $@"\\{c}" : c.ToString()));

    /// <summary>
    /// The <c>label_values(SELECTOR, LABEL)</c> query of a query variable (Grafana's Prometheus variable syntax),
    /// or null when the variable is of another kind.
    /// </summary>
    public static (string Selector, string Label)? LabelValuesQuery(JsonObject variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var text = variable["query"] switch
        {
            JsonObject query => (string?)query["query"],
            JsonValue value => (string?)value,
            _ => null,
        };
        var match = LabelValues().Match(text ?? string.Empty);
        return (string?)variable["type"] == "query" && match.Success ? (match.Groups["selector"].Value.Trim(), match.Groups["label"].Value) : null;
    }

    [GeneratedRegex(@"^\s*label_values\((?<selector>.+),\s*(?<label>[A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex Variable();
}
