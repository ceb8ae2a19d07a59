using System.CommandLine;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Storage;
using GradDescent.Reports;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent report SWEEP... [--out DIR]</c>: writes the report folder (HTML, Markdown, CSV, PNG, GIF) of one sweep or,
/// given several ids or a sweep-name prefix, of a family with a cross-experiment ranking. What a name or prefix selected
/// is said on stderr. Everything a figure needs is read from the store (trial artefacts), never from the files a
/// trial named.
/// </summary>
public sealed class ReportCommand(IResultStore store, IOptions<DatabaseOptions> database, TimeProvider time, ReportCommand.Input input)
    : StoreCommand(store, database, time)
{
    public sealed record Input(IReadOnlyList<string> Sweeps, string? Out, bool Json);

    public static Command Create()
    {
        var sweeps = new Argument<string[]>("sweep|name-prefix")
        {
            Description = "Sweep ids, or sweep names or a name prefix (the newest sweep of each matching name).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out") { Description = "Report folder (default reports/<first sweep id>).", HelpName = "DIR" };
        var json = CliOptions.Json("Print the report's path as JSON.");
        var command = new Command(
            "report",
            "Write a sweep's report folder (index.html, summary.md, CSV, PNG, GIF); several sweeps or a name prefix add a cross-experiment table.")
        {
            sweeps, output, json,
        };
        command.SetAction((parse, ct) => RunAsync<ReportCommand, Input>(
            parse,
            new Input(parse.GetRequiredValue(sweeps), parse.GetValue(output), parse.GetValue(json)),
            ct));
        return command;
    }

    protected override async Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken)
    {
        var sweeps = new List<SweepRecord>();
        foreach (var name in input.Sweeps)
        {
            IReadOnlyList<SweepRecord> selected;
            try
            {
                selected = await SweepReportWriter.ResolveAsync(store, [name], cancellationToken);
            }
            catch (SweepNotFoundException e)
            {
                throw new UsageException(e.Message);
            }

            if (selected is not [{ } exact] || exact.Id != name)
            {
                await Console.Error.WriteLineAsync(
                    $"report: '{name}' selects {(selected.Count == 1 ? "the newest sweep" : $"{selected.Count} sweeps, the newest")} of each name starting with it: {string.Join(", ", selected.Select(s => s.Id))}");
            }

            sweeps.AddRange(selected.Where(s => sweeps.All(known => known.Id != s.Id)));
        }

        var folder = input.Out ?? SweepReportWriter.DefaultFolder(sweeps[0].Id);
        var path = await SweepReportWriter.WriteAsync(store, sweeps, folder, Time, cancellationToken);
        var index = Path.Combine(path, "index.html");
        Console.Out.WriteLine(input.Json ? new JsonObject { ["event"] = "report", ["path"] = index }.ToJsonString() : $"report: {index}");
        return ExitCodes.Success;
    }
}
