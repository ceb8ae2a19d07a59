using System.Globalization;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Silo.Commands;

/// <summary>
/// Every trial of a sweep as CSV (one row per trial, a column per parameter and metric) or as a JSON array (one object
/// per trial with <c>parameters</c> and <c>metrics</c> objects; a non-finite metric is <c>null</c>), streamed.
/// </summary>
public static class ResultsExport
{
    private static readonly string[] FixedColumns =
        ["trial_index", "status", "seed", "attempts", "worker_id", "device", "duration_ms", "diverged_at_step", "error"];

    /// <param name="results">Reads the trials; called twice (the first pass collects the metric names for the header).</param>
    public static async Task WriteCsvAsync(
        Func<IAsyncEnumerable<TrialResult>> results, ExperimentDefinition definition, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(writer);
        var metrics = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var result in results().WithCancellation(cancellationToken))
        {
            metrics.UnionWith(result.Metrics.Keys);
        }

        var parameters = definition.Parameters.Select(p => p.Name).ToList();
        await writer.WriteLineAsync(string.Join(',', FixedColumns.Concat(parameters).Concat(metrics).Select(Csv)));
        await foreach (var r in results().WithCancellation(cancellationToken))
        {
            IEnumerable<string> cells =
            [
                r.Index.ToString(CultureInfo.InvariantCulture), Status(r), r.Seed.ToString(CultureInfo.InvariantCulture),
                r.Attempts.ToString(CultureInfo.InvariantCulture), r.WorkerId, r.Device, r.DurationMs.ToString("R", CultureInfo.InvariantCulture),
                r.DivergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, r.Error ?? string.Empty,
                .. parameters.Select(p => r.Parameters.GetTextOrNull(p) ?? string.Empty),
                .. metrics.Select(m => r.Metrics.TryGetValue(m, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty),
            ];
            await writer.WriteLineAsync(string.Join(',', cells.Select(Csv)));
        }
    }

    public static async Task WriteJsonAsync(IAsyncEnumerable<TrialResult> results, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(writer);
        var first = true;
        await writer.WriteAsync('[');
        await foreach (var result in results.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(first ? "\n" : ",\n");
            await writer.WriteAsync(ToJson(result).ToJsonString());
            first = false;
        }

        await writer.WriteLineAsync(first ? "]" : "\n]");
    }

    /// <summary>One trial as the JSON export and <c>--json</c> show it.</summary>
    public static JsonObject ToJson(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var parameters = new JsonObject();
        foreach (var (name, value) in result.Parameters.Values)
        {
            parameters[name] = value;
        }

        var metrics = new JsonObject();
        foreach (var (name, value) in result.Metrics)
        {
            metrics[name] = double.IsFinite(value) ? value : null;
        }

        return new JsonObject
        {
            ["trial_index"] = result.Index,
            ["status"] = Status(result),
            ["seed"] = result.Seed,
            ["attempts"] = result.Attempts,
            ["worker_id"] = result.WorkerId,
            ["device"] = result.Device,
            ["started_at"] = result.StartedAt,
            ["finished_at"] = result.FinishedAt,
            ["duration_ms"] = result.DurationMs,
            ["diverged_at_step"] = result.DivergedAtStep,
            ["error"] = result.Error,
            ["parameters"] = parameters,
            ["metrics"] = metrics,
        };
    }

    private static string Status(TrialResult result) => result.Status.ToString().ToLowerInvariant();

    private static string Csv(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
