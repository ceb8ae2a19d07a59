using System.CommandLine;
using System.Globalization;
using System.Text;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent results SWEEP [--csv|--json] [--out FILE]</c>: the best trials as a table, or every trial as CSV or
/// JSON; <c>--out</c> writes any of them to a file (written beside it and moved into place: never half-written).
/// </summary>
public sealed class ResultsCommand(IResultStore store, IOptions<DatabaseOptions> database, TimeProvider time, ResultsCommand.Input input)
    : StoreCommand(store, database, time)
{
    public sealed record Input(string Sweep, bool Csv, bool Json, string? Out, int Top);

    public static Command Create()
    {
        var sweep = CliOptions.SweepId();
        var csv = new Option<bool>("--csv") { Description = "Every trial as CSV (one row per trial, a column per parameter and metric)." };
        var json = new Option<bool>("--json") { Description = "Every trial as a JSON array (one object per trial, with parameters and metrics)." };
        var output = new Option<string>("--out") { Description = "Write to this file instead of stdout.", HelpName = "FILE" };
        var top = CliOptions.WithRange(
            new Option<int>("--top") { Description = "How many of the best trials the table shows.", HelpName = "N", DefaultValueFactory = _ => 20 }, 1, 100_000);
        var command = new Command("results", "Print a sweep's results: the best trials, or every trial with --csv or --json.") { sweep, csv, json, output, top };
        command.Validators.Add(result =>
        {
            if (result.GetValue(csv) && result.GetValue(json))
            {
                result.AddError("options --csv and --json: choose one");
            }
        });
        command.SetAction((parse, ct) => RunAsync<ResultsCommand, Input>(
            parse,
            new Input(parse.GetRequiredValue(sweep), parse.GetValue(csv), parse.GetValue(json), parse.GetValue(output), parse.GetValue(top)),
            ct));
        return command;
    }

    protected override async Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var sweep = await RequireSweepAsync(store, input.Sweep, cancellationToken);
        var definition = ExperimentCatalog.Get(sweep.Experiment);
        Func<TextWriter, Task> write = input switch
        {
            { Csv: true } => writer => ResultsExport.WriteCsvAsync(() => store.GetResultsAsync(sweep.Id, cancellationToken), definition, writer, cancellationToken),
            { Json: true } => writer => ResultsExport.WriteJsonAsync(store.GetResultsAsync(sweep.Id, cancellationToken), writer, cancellationToken),
            _ => writer => WriteBestAsync(store, sweep, definition, writer, cancellationToken),
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

    private async Task WriteBestAsync(IResultStore store, SweepRecord sweep, ExperimentDefinition definition, TextWriter writer, CancellationToken cancellationToken)
    {
        var top = input.Top;
        var best = new List<TrialResult>();
        var counts = new Dictionary<TrialStatus, long>();
        await foreach (var result in store.GetResultsAsync(sweep.Id, cancellationToken))
        {
            counts[result.Status] = counts.GetValueOrDefault(result.Status) + 1;
            if (result.Status == TrialStatus.Completed && result.Metrics.ContainsKey(definition.PrimaryMetric))
            {
                best.Add(result);
                if (best.Count > top * 4)
                {
                    Trim(best, definition, top);
                }
            }
        }

        Trim(best, definition, top);
        await writer.WriteLineAsync($"sweep {sweep.Id}: {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}"))}");
        await writer.WriteLineAsync($"best {best.Count} by {definition.PrimaryMetric} ({(definition.Goal == MetricGoal.Minimize ? "lower" : "higher")} is better):");
        await writer.WriteLineAsync($"{"TRIAL",7} {"SEED",5} {definition.PrimaryMetric,14}  PARAMETERS");
        foreach (var result in best)
        {
            await writer.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture, $"{result.Index,7} {result.Seed,5} {result.Metrics[definition.PrimaryMetric],14:G6}  {Varying(result, definition)}"));
        }
    }

    private static void Trim(List<TrialResult> best, ExperimentDefinition definition, int top)
    {
        best.Sort((a, b) =>
        {
            var order = a.Metrics[definition.PrimaryMetric].CompareTo(b.Metrics[definition.PrimaryMetric]);
            return definition.Goal == MetricGoal.Minimize ? order : -order;
        });
        if (best.Count > top)
        {
            best.RemoveRange(top, best.Count - top);
        }
    }

    private static string Varying(TrialResult result, ExperimentDefinition definition) =>
        string.Join(' ', result.Parameters.Values
            .Where(p => definition.Find(p.Key)?.Default != p.Value)
            .Select(p => $"{p.Key}={p.Value}"));
}
