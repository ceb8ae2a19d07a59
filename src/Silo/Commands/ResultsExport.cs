using System.Globalization;
using System.Text.Json.Nodes;
using GradDescent.Storage.Queries;

namespace GradDescent.Silo.Commands;

/// <summary>
/// A sweep's trials (as <see cref="TrialQueries.StreamAsync"/> reads them: filtered and sorted) as CSV (one row per
/// trial, a column per parameter and metric) or as a JSON array (one object per trial with <c>parameters</c> and
/// <c>metrics</c> objects; a non-finite metric is <c>null</c>), streamed.
/// </summary>
public static class ResultsExport
{
    /// <param name="fields">The sweep's parameters and stored metrics: the columns after the fixed ones.</param>
    public static async Task WriteCsvAsync(
        IAsyncEnumerable<TrialListItem> results, TrialFields fields, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(writer);
        var csv = new TrialCsv(fields);
        await writer.WriteLineAsync(csv.Header);
        await foreach (var r in results.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(csv.Row(r));
        }
    }

    public static async Task WriteJsonAsync(IAsyncEnumerable<TrialListItem> results, TextWriter writer, CancellationToken cancellationToken)
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
    public static JsonObject ToJson(TrialListItem result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var parameters = new JsonObject();
        foreach (var (name, value) in result.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
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
            ["status"] = result.Status,
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
}
