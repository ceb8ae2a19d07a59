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

    public static async Task<string> TextAsync(int port) => await Http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));

    public static async Task<IReadOnlyList<Sample>> SamplesAsync(int port) => Parse(await TextAsync(port));

    public static IReadOnlyList<Sample> Parse(string text) =>
        [.. text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(ParseLine)];

    public static async Task<(HttpStatusCode Status, JsonNode Body)> ReadyzAsync(int port)
    {
        using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Waits until <c>/readyz</c> answers 200; fails with the last answer (or error) and the process's output.</summary>
    public static async Task WaitUntilReadyAsync(int port, TimeSpan timeout, CliProcess process)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var last = "no answer";
        while (true)
        {
            try
            {
                var (status, body) = await ReadyzAsync(port);
                if (status == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)status} {body.ToJsonString()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"/readyz on port {port} was not 200 within {timeout}; last: {last}\nstderr:\n{process.Stderr}");
            }
        }
    }

    public static double Value(this IReadOnlyList<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Single(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Value;

    public static double Sum(this IReadOnlyList<Sample> samples, string name) => samples.Where(s => s.Name == name).Sum(s => s.Value);

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
