using System.CommandLine;
using System.Globalization;
using System.Text;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent results SWEEP [--csv]</c>: the best trials as a table, or every trial as CSV.</summary>
public sealed class ResultsCommand(IResultStore store, IOptions<DatabaseOptions> database, ResultsCommand.Input input) : StoreCommand(store, database)
{
    public sealed record Input(string SweepId, bool Csv, string? Out, int Top);

    public static Command Create()
    {
        var sweep = CliOptions.SweepId();
        var csv = new Option<bool>("--csv") { Description = "Print every trial as CSV (one row per trial, a column per parameter and metric)." };
        var output = new Option<string>("--out") { Description = "With --csv: write the CSV to this file instead of stdout.", HelpName = "FILE" };
        var top = new Option<int>("--top") { Description = "How many of the best trials to show.", HelpName = "N", DefaultValueFactory = _ => 20 };
        top.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                result.AddError("option --top: expected a whole number from 1 to 100000");
            }
        });
        var command = new Command("results", "Print a sweep's results: the best trials, or every trial with --csv.") { sweep, csv, output, top };
        command.SetAction((parse, ct) => RunAsync<ResultsCommand, Input>(
            parse, new Input(parse.GetRequiredValue(sweep), parse.GetValue(csv), parse.GetValue(output), parse.GetValue(top)), ct));
        return command;
    }

    protected override async Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var sweep = await RequireSweepAsync(store, input.SweepId, cancellationToken);
        var definition = ExperimentCatalog.Get(sweep.Experiment);
        if (input.Csv)
        {
            if (input.Out is not { } path)
            {
                await WriteCsvAsync(store, sweep.Id, definition, Console.Out, cancellationToken);
                return ExitCodes.Success;
            }

            // Write beside the target and move into place, so a failed export leaves no half-written file.
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            await using (var file = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
            {
                await WriteCsvAsync(store, sweep.Id, definition, file, cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
            return ExitCodes.Success;
        }

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
        Console.Out.WriteLine($"sweep {sweep.Id}: {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}"))}");
        Console.Out.WriteLine($"best {best.Count} by {definition.PrimaryMetric} ({(definition.Goal == MetricGoal.Minimize ? "lower" : "higher")} is better):");
        Console.Out.WriteLine($"{"TRIAL",7} {"SEED",5} {definition.PrimaryMetric,14}  PARAMETERS");
        foreach (var result in best)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Index,7} {result.Seed,5} {result.Metrics[definition.PrimaryMetric],14:G6}  {Varying(result, definition)}"));
        }

        return ExitCodes.Success;
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

    private static async Task WriteCsvAsync(IResultStore store, string sweepId, ExperimentDefinition definition, TextWriter writer, CancellationToken cancellationToken)
    {
        // Two passes: the first collects the metric names so the header is complete before any row.
        var metrics = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var result in store.GetResultsAsync(sweepId, cancellationToken))
        {
            metrics.UnionWith(result.Metrics.Keys);
        }

        var parameters = definition.Parameters.Select(p => p.Name).ToList();
        string[] fixedColumns = ["trial_index", "status", "seed", "attempts", "worker_id", "device", "duration_ms", "diverged_at_step", "error"];
        await writer.WriteLineAsync(string.Join(',', fixedColumns.Concat(parameters).Concat(metrics).Select(Csv)));
        await foreach (var r in store.GetResultsAsync(sweepId, cancellationToken))
        {
            IEnumerable<string> cells =
            [
                r.Index.ToString(CultureInfo.InvariantCulture), r.Status.ToString().ToLowerInvariant(), r.Seed.ToString(CultureInfo.InvariantCulture),
                r.Attempts.ToString(CultureInfo.InvariantCulture), r.WorkerId, r.Device, r.DurationMs.ToString("R", CultureInfo.InvariantCulture),
                r.DivergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, r.Error ?? string.Empty,
                .. parameters.Select(p => r.Parameters.GetTextOrNull(p) ?? string.Empty),
                .. metrics.Select(m => r.Metrics.TryGetValue(m, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty),
            ];
            await writer.WriteLineAsync(string.Join(',', cells.Select(Csv)));
        }
    }

    private static string Csv(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
