using System.CommandLine;
using System.Globalization;
using System.Text;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using GradDescent.Storage.Queries;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent results SWEEP [--csv|--json] [--filter TEXT] [--sort TEXT] [--out FILE]</c>: the best trials as a
/// table, or every trial as CSV or JSON. <c>--filter</c> and <c>--sort</c> take the dashboard's trial filter and sort
/// language (<see cref="TrialQueries"/>), e.g. <c>--filter "optimizer = adam and mse &lt; 120" --sort -mse</c>;
/// <c>--out</c> writes any of them to a file (written beside it and moved into place: never half-written).
/// </summary>
public sealed class ResultsCommand(IResultStore store, IOptions<DatabaseOptions> database, TimeProvider time, ResultsCommand.Input input)
    : StoreCommand(store, database, time)
{
    public sealed record Input(string Sweep, bool Csv, bool Json, string? Out, int Top, string? Filter = null, string? Sort = null);

    public static Command Create()
    {
        var sweep = CliOptions.SweepId();
        var csv = new Option<bool>("--csv") { Description = "Every trial as CSV (one row per trial, a column per parameter and metric)." };
        var json = new Option<bool>("--json") { Description = "Every trial as a JSON array (one object per trial, with parameters and metrics)." };
        var filter = new Option<string>("--filter")
        {
            Description = "Only the trials that match, in the dashboard's filter language, e.g. \"optimizer = adam and mse < 120\" "
                + "(= != < <= > >=, in (...), is [not] null, and, or, not, parentheses).",
            HelpName = "TEXT",
        };
        var sort = new Option<string>("--sort")
        {
            Description = "Order by these fields, comma-separated, '-' for descending, e.g. \"-mse,trial_index\" "
                + "(default: trial index; the table: best primary metric first).",
            HelpName = "FIELDS",
        };
        var output = new Option<string>("--out") { Description = "Write to this file instead of stdout.", HelpName = "FILE" };
        var top = CliOptions.WithRange(
            new Option<int>("--top") { Description = "How many trials the table shows.", HelpName = "N", DefaultValueFactory = _ => 20 }, 1, 100_000);
        var command = new Command("results", "Print a sweep's results: the best trials, or every trial with --csv or --json.")
        {
            sweep, csv, json, filter, sort, output, top,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(csv) && result.GetValue(json))
            {
                result.AddError("options --csv and --json: choose one");
            }
        });
        command.SetAction((parse, ct) => RunAsync<ResultsCommand, Input>(
            parse,
            new Input(
                parse.GetRequiredValue(sweep), parse.GetValue(csv), parse.GetValue(json), parse.GetValue(output), parse.GetValue(top),
                parse.GetValue(filter), parse.GetValue(sort)),
            ct));
        return command;
    }

    protected override async Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var sweep = await RequireSweepAsync(store, input.Sweep, cancellationToken);
        var fields = await TrialQueries.FieldsAsync(store, sweep.Id, sweep.Experiment, cancellationToken);
        var definition = fields.Experiment;
        var tableSort = input.Sort ?? (definition.Goal == MetricGoal.Minimize ? string.Empty : "-") + definition.PrimaryMetric;
        IAsyncEnumerable<TrialListItem> rows;
        try
        {
            // Checked here, before a file is opened: a bad filter or sort is bad input and writes nothing.
            rows = TrialQueries.StreamAsync(store, sweep.Id, fields, input.Filter, input.Csv || input.Json ? input.Sort : tableSort, cancellationToken: cancellationToken);
        }
        catch (TrialQueryException e)
        {
            throw new UsageException($"--{e.Part} {(e.Part == "filter" ? input.Filter : input.Sort)}: position {e.Position}: {e.Problem}");
        }

        Func<TextWriter, Task> write = input switch
        {
            { Csv: true } => writer => ResultsExport.WriteCsvAsync(rows, fields, writer, cancellationToken),
            { Json: true } => writer => ResultsExport.WriteJsonAsync(rows, writer, cancellationToken),
            _ => writer => WriteTableAsync(sweep, definition, rows, writer, cancellationToken),
        };

        if (input.Out is not { } path)
        {
            await write(Console.Out);
            return ExitCodes.Success;
        }

        // Write beside the target and move into place, so a failed export leaves no half-written file.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var moved = false;
        try
        {
            await using (var file = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
            {
                await write(file);
            }

            File.Move(temporary, path, overwrite: true);
            moved = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out {path}: cannot write the file ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)})");
        }
        finally
        {
            if (!moved)
            {
                File.Delete(temporary);
            }
        }

        await Console.Error.WriteLineAsync($"wrote {path}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// The status counts of the matching trials, then the first <c>--top</c> completed trials with a finite primary
    /// metric in the sort's order (by default: best first).
    /// </summary>
    private async Task WriteTableAsync(
        SweepRecord sweep, ExperimentDefinition definition, IAsyncEnumerable<TrialListItem> rows, TextWriter writer, CancellationToken cancellationToken)
    {
        var shown = new List<TrialListItem>();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            counts[row.Status] = counts.GetValueOrDefault(row.Status) + 1;
            if (shown.Count < input.Top && row.Status == "completed" && row.Metrics.TryGetValue(definition.PrimaryMetric, out var value) && double.IsFinite(value))
            {
                shown.Add(row);
            }
        }

        var matching = input.Filter is null ? string.Empty : $" matching {input.Filter}";
        await writer.WriteLineAsync($"sweep {sweep.Id}{matching}: {(counts.Count == 0 ? "no trials" : string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}")))}");
        await writer.WriteLineAsync(input.Sort is null
            ? $"best {shown.Count} by {definition.PrimaryMetric} ({(definition.Goal == MetricGoal.Minimize ? "lower" : "higher")} is better):"
            : $"first {shown.Count} completed by {input.Sort}:");
        await writer.WriteLineAsync($"{"TRIAL",7} {"SEED",5} {definition.PrimaryMetric,14}  PARAMETERS");
        foreach (var result in shown)
        {
            await writer.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture, $"{result.Index,7} {result.Seed,5} {result.Metrics[definition.PrimaryMetric],14:G6}  {Varying(result, definition)}"));
        }
    }

    private static string Varying(TrialListItem result, ExperimentDefinition definition) =>
        string.Join(' ', result.Parameters
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Where(p => definition.Find(p.Key)?.Default != p.Value)
            .Select(p => $"{p.Key}={p.Value}"));
}
