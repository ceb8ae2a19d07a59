using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;
using GradDescent.Storage.Queries;
using GradDescent.Storage.Reports;

namespace GradDescent.Dashboard.Services;

/// <summary>
/// A sweep's trials for the table, the CSV export and the trial page: one way to get a trial page, SQL straight to the
/// store (<see cref="TrialQueries"/>), used by the pages and the API alike.
/// </summary>
public sealed class TrialService(IResultStore store, TimeProvider time)
{
    /// <summary>How long the metric names of a sweep that still runs are reused before they are read again.</summary>
    private static readonly TimeSpan ActiveFieldsLifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (DateTimeOffset ReadAt, bool Final, TrialFields Fields)> fields = new(StringComparer.Ordinal);

    /// <summary>The names a sweep's trials can be filtered and sorted by (parameters and the metrics stored so far).</summary>
    public async Task<TrialFields> FieldsAsync(SweepRecord sweep, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var final = sweep.Status is SweepStatus.Completed or SweepStatus.Cancelled or SweepStatus.Failed;
        if (fields.TryGetValue(sweep.Id, out var cached) && (cached.Final || (!final && now - cached.ReadAt < ActiveFieldsLifetime)))
        {
            return cached.Fields;
        }

        var fresh = await TrialQueries.FieldsAsync(store, sweep.Id, sweep.Experiment, cancellationToken);
        fields[sweep.Id] = (now, final, fresh);
        return fresh;
    }

    /// <exception cref="TrialQueryException">The filter or sort is invalid.</exception>
    public async Task<TrialPage> PageAsync(SweepRecord sweep, TrialQuery query, CancellationToken cancellationToken) =>
        await TrialQueries.PageAsync(store, sweep.Id, await FieldsAsync(sweep, cancellationToken), query, cancellationToken);

    /// <returns>The trial with its step series and detail document, or null when it is not stored.</returns>
    public async Task<TrialDetail?> DetailAsync(SweepRecord sweep, long index, CancellationToken cancellationToken)
    {
        var page = await TrialQueries.PageAsync(
            store, sweep.Id, await FieldsAsync(sweep, cancellationToken), new TrialQuery($"trial_index = {index.ToString(CultureInfo.InvariantCulture)}", PageSize: 1), cancellationToken);
        if (page.Items.Count == 0)
        {
            return null;
        }

        var steps = await store.GetStepsAsync(sweep.Id, index, cancellationToken);
        var stored = await ReportViews.GetTrialAsync(store, sweep.Id, index, cancellationToken);
        JsonElement? detail = stored?.DetailJson is { } json ? JsonDocument.Parse(json).RootElement.Clone() : null;
        return new TrialDetail(sweep.Id, page.Items[0], steps, detail);
    }

    /// <summary>
    /// Writes every trial matching the filter, in the sort's order, as CSV: the columns <c>graddescent results --csv</c>
    /// writes (fixed columns, every parameter, every metric).
    /// </summary>
    /// <exception cref="TrialQueryException">The filter or sort is invalid; thrown before anything is written.</exception>
    public async Task WriteCsvAsync(SweepRecord sweep, string? filter, string? sort, TextWriter writer, CancellationToken cancellationToken)
    {
        var known = await FieldsAsync(sweep, cancellationToken);
        var rows = TrialQueries.StreamAsync(store, sweep.Id, known, filter, sort, cancellationToken: cancellationToken);
        var csv = new TrialCsv(known);
        var wroteHeader = false;
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            if (!wroteHeader)
            {
                // Written with the first row: an invalid filter or sort throws before anything is written.
                await writer.WriteLineAsync(csv.Header);
                wroteHeader = true;
            }

            await writer.WriteLineAsync(csv.Row(r));
        }

        if (!wroteHeader)
        {
            await writer.WriteLineAsync(csv.Header);
        }
    }
}

/// <summary>One trial for the trial page: its row, its step series and the experiment's result document.</summary>
public sealed record TrialDetail(string SweepId, TrialListItem Trial, IReadOnlyList<StepSeries> Steps, JsonElement? Detail);
