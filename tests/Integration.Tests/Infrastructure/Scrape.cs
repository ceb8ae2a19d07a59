using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>One sample of a Prometheus text scrape: series name, labels, value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Reads a process's <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> on its telemetry port.</summary>
public static partial class Scrape
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public static Task<string> TextAsync(int port) => TextAsync(Loopback(port, "metrics"));

    public static async Task<string> TextAsync(Uri metrics) => await Http.GetStringAsync(metrics);

    public static Task<IReadOnlyList<Sample>> SamplesAsync(int port) => SamplesAsync(Loopback(port, "metrics"));

    public static async Task<IReadOnlyList<Sample>> SamplesAsync(Uri metrics) => Parse(await TextAsync(metrics));

    public static IReadOnlyList<Sample> Parse(string text) =>
        [.. text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(ParseLine)];

    public static Task<(HttpStatusCode Status, JsonNode Body)> ReadyzAsync(int port) => ReadyzAsync(Loopback(port, "readyz"));

    public static async Task<(HttpStatusCode Status, JsonNode Body)> ReadyzAsync(Uri readyz)
    {
        using var response = await Http.GetAsync(readyz);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Waits until <c>/readyz</c> answers 200; fails with the last answer (or error) and the process's output.</summary>
    public static Task WaitUntilReadyAsync(int port, TimeSpan timeout, CliProcess process) =>
        WaitUntilReadyAsync(Loopback(port, "readyz"), timeout, process);

    /// <summary>
    /// Waits until <paramref name="readiness"/> (a readiness probe's URL) answers 200; fails with the last answer
    /// (or error) and the process's output, at once when the process exits.
    /// </summary>
    public static Task WaitUntilReadyAsync(Uri readiness, TimeSpan timeout, CliProcess process) =>
        Polling.UntilAsync(
            async () =>
            {
                var (status, body) = await ReadyzAsync(readiness);
                return (status == HttpStatusCode.OK, true, $"{(int)status} {body.ToJsonString()}");
            },
            timeout,
            TimeSpan.FromMilliseconds(250),
            last => $"{readiness} was not 200 within {timeout}; last: {last}\nstderr:\n{process.Stderr}",
            process);

    /// <summary>
    /// Waits until the sum of <paramref name="name"/>'s samples on <paramref name="port"/> satisfies
    /// <paramref name="condition"/> (an event the process reports through its metrics); fails with the last sum.
    /// </summary>
    public static Task<double> WaitForSumAsync(
        int port, string name, Func<double, bool> condition, TimeSpan timeout, string expectation, CliProcess process) =>
        Polling.UntilAsync(
            async () =>
            {
                var sum = (await SamplesAsync(port)).Sum(name);
                return (condition(sum), sum, sum.ToString(CultureInfo.InvariantCulture));
            },
            timeout,
            TimeSpan.FromMilliseconds(100),
            last => $"{name} on port {port} was not {expectation} within {timeout}; last: {last}\nstderr:\n{process.Stderr}",
            process);

    public static double Value(this IReadOnlyList<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Single(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Value;

    public static double Sum(this IReadOnlyList<Sample> samples, string name) => samples.Where(s => s.Name == name).Sum(s => s.Value);

    private static Uri Loopback(int port, string path) => new($"http://127.0.0.1:{port}/{path}");

    private static Sample ParseLine(string line)
    {
        var match = SampleLine().Match(line);
        if (!match.Success)
        {
            throw new FormatException($"not a Prometheus sample line: {line}");
        }

        var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value);
        var text = match.Groups["value"].Value;
        var value = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(match.Groups["name"].Value, labels, value);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();
}
