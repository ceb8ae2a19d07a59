using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>A scrape target: the job it belongs to and the loopback port it serves /metrics on.</summary>
public sealed record ScrapeTarget(string Job, int Port);

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package, <c>/usr/bin/prometheus</c>) on a free loopback
/// port with its own storage folder, scraping the given targets and evaluating rule files, read through its
/// HTTP API (<c>/api/v1/query</c>, <c>query_range</c>, <c>rules</c>, <c>label/…/values</c>).
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Program = "/usr/bin/prometheus";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly CliProcess process;
    private readonly string folder;

    private PrometheusServer(CliProcess process, string folder, int port)
    {
        this.process = process;
        this.folder = folder;
        Address = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Address { get; }

    /// <summary>What the server logged (for assertion messages).</summary>
    public string Log => process.Stderr;

    /// <summary>
    /// Starts Prometheus with a configuration scraping <paramref name="targets"/> every <paramref name="interval"/>
    /// (rules evaluated as often), each target labelled with <paramref name="staticLabels"/> the way Kubernetes
    /// service discovery labels pods, and waits until it is ready.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(
        IEnumerable<ScrapeTarget> targets,
        IEnumerable<string> ruleFiles,
        IReadOnlyDictionary<string, string> staticLabels,
        TimeSpan interval,
        TimeSpan timeout)
    {
        if (!File.Exists(Program))
        {
            throw new InvalidOperationException($"{Program} is missing: tests/run-tests.sh installs the Debian 'prometheus' package (it also gives promtool)");
        }

        var folder = Path.Combine(Path.GetTempPath(), $"graddescent-prometheus-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, Configuration(targets, ruleFiles, staticLabels, interval));
        var port = FreePorts.Next();
        var process = CliProcess.StartProgram(
            Program,
            [
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ],
            workingDirectory: folder);
        var server = new PrometheusServer(process, folder, port);
        try
        {
            await server.WaitUntilReadyAsync(timeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// <c>/api/v1/query</c> at <paramref name="time"/> (now when null): the result array. Throws with Prometheus'
    /// error (a parse error names the position) when the query fails.
    /// </summary>
    public async Task<JsonArray> QueryAsync(string expression, DateTimeOffset? time = null)
    {
        var parameters = new Dictionary<string, string> { ["query"] = expression };
        if (time is { } at)
        {
            parameters["time"] = Seconds(at);
        }

        return (await GetDataAsync("api/v1/query", parameters, expression))["result"]!.AsArray();
    }

    /// <summary><c>/api/v1/query_range</c>: one series per result with its [time, value] pairs.</summary>
    public async Task<JsonArray> QueryRangeAsync(string expression, DateTimeOffset start, DateTimeOffset end, TimeSpan step)
    {
        var parameters = new Dictionary<string, string>
        {
            ["query"] = expression,
            ["start"] = Seconds(start),
            ["end"] = Seconds(end),
            ["step"] = step.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        };
        return (await GetDataAsync("api/v1/query_range", parameters, expression))["result"]!.AsArray();
    }

    /// <summary>The value of a query that yields one sample, or null when it yields none.</summary>
    public async Task<double?> ScalarAsync(string expression, DateTimeOffset? time = null)
    {
        var result = await QueryAsync(expression, time);
        return result.Count switch
        {
            0 => null,
            1 => ValueOf(result[0]!),
            _ => throw new InvalidOperationException($"{expression} gave {result.Count} samples, expected one: {result.ToJsonString()}"),
        };
    }

    /// <summary><c>/api/v1/label/NAME/values?match[]=SELECTOR</c>: what Grafana's <c>label_values(SELECTOR, NAME)</c> lists.</summary>
    public async Task<IReadOnlyList<string>> LabelValuesAsync(string label, string selector) =>
        [.. (await GetDataAsync($"api/v1/label/{Uri.EscapeDataString(label)}/values", new Dictionary<string, string> { ["match[]"] = selector }, selector))
            .AsArray().Select(v => (string)v!)];

    /// <summary><c>/api/v1/rules</c>: every rule of every group (name, query, health, lastError, state...).</summary>
    public async Task<IReadOnlyList<JsonObject>> RulesAsync() =>
        [.. (await GetDataAsync("api/v1/rules", new Dictionary<string, string>(), "rules"))["groups"]!.AsArray()
            .SelectMany(g => g!["rules"]!.AsArray()).OfType<JsonObject>()];

    /// <summary>Waits until <paramref name="condition"/> holds for <paramref name="expression"/>'s single value; fails with the last value.</summary>
    public Task<double> WaitForValueAsync(string expression, Func<double, bool> condition, TimeSpan timeout, string expectation) =>
        Polling.UntilAsync(
            async () =>
            {
                var value = await ScalarAsync(expression);
                return (value is { } v && condition(v), value ?? double.NaN, value?.ToString(CultureInfo.InvariantCulture) ?? "none");
            },
            timeout,
            TimeSpan.FromMilliseconds(250),
            last => $"{expression} was not {expectation} within {timeout}; last value: {last}\nprometheus:\n{Log}");

    /// <summary>The numeric value of one sample of an instant vector (<c>[time, "value"]</c>).</summary>
    public static double ValueOf(JsonNode sample) =>
        double.Parse((string)sample["value"]![1]!, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static string Seconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private async Task<JsonNode> GetDataAsync(string path, IReadOnlyDictionary<string, string> parameters, string what)
    {
        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        using var response = await Http.GetAsync(new Uri(Address, $"{path}?{query}"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if ((string?)body["status"] != "success")
        {
            throw new InvalidOperationException($"Prometheus refused {what}: {(int)response.StatusCode} {body["errorType"]}: {body["error"]}");
        }

        return body["data"]!;
    }

    private Task WaitUntilReadyAsync(TimeSpan timeout) =>
        Polling.UntilAsync(
            async () =>
            {
                using var response = await Http.GetAsync(new Uri(Address, "-/ready"));
                return (response.StatusCode == HttpStatusCode.OK, true, $"{(int)response.StatusCode}");
            },
            timeout,
            TimeSpan.FromMilliseconds(200),
            last => $"Prometheus was not ready within {timeout} (last: {last}):\n{Log}",
            process);

    private static string Configuration(
        IEnumerable<ScrapeTarget> targets, IEnumerable<string> ruleFiles, IReadOnlyDictionary<string, string> staticLabels, TimeSpan interval)
    {
        var seconds = $"{interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
        var labels = string.Join(", ", staticLabels.Select(l => $"{l.Key}: \"{l.Value}\""));
        var yaml = new StringBuilder()
            .AppendLine("global:")
            .AppendLine(CultureInfo.InvariantCulture, $"  scrape_interval: {seconds}")
            .AppendLine(CultureInfo.InvariantCulture, $"  scrape_timeout: {seconds}")
            .AppendLine(CultureInfo.InvariantCulture, $"  evaluation_interval: {seconds}")
            .AppendLine("rule_files:");
        foreach (var file in ruleFiles)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - \"{file}\"");
        }

        yaml.AppendLine("scrape_configs:");
        foreach (var job in targets.GroupBy(t => t.Job))
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - job_name: {job.Key}")
                .AppendLine("    static_configs:")
                .AppendLine(CultureInfo.InvariantCulture, $"      - targets: [{string.Join(", ", job.Select(t => $"\"127.0.0.1:{t.Port}\""))}]")
                .AppendLine(CultureInfo.InvariantCulture, $"        labels: {{ {labels} }}");
        }

        return yaml.ToString();
    }
}
