using GradDescent.Reports;
using GradDescent.Silo.Cli;
using GradDescent.Storage;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent report SWEEP... [--out DIR]</c>: writes the report folder (HTML, Markdown, CSV, PNG, GIF) of one sweep or,
/// given several ids or a sweep-name prefix, of a family with a cross-experiment ranking.
/// </summary>
public sealed class ReportCommand : StoreCommand
{
    public override string Name => "report";

    public override string Summary => "Write a sweep's report folder (index.html, summary.md, CSV, PNG, GIF); several sweeps or a name prefix add a cross-experiment table.";

    public override string Usage => "report <sweep-id|name-prefix>... [--out DIR] [--db PATH|CONNECTION] [--json]";

    public override IReadOnlySet<string> Options { get; } = new HashSet<string> { "db", "out" };

    protected override async Task<int> RunAsync(CommandArguments arguments, IResultStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        arguments.Positional(0, "sweep-id");
        arguments.ExpectNoMore(arguments.Positionals.Count);
        IReadOnlyList<Abstractions.Storage.SweepRecord> sweeps;
        try
        {
            sweeps = await SweepReportWriter.ResolveAsync(store, arguments.Positionals, cancellationToken);
        }
        catch (SweepNotFoundException e)
        {
            throw new UsageException(e.Message);
        }

        var folder = arguments.Option("out") ?? SweepReportWriter.DefaultFolder(sweeps[0].Id);
        var path = await SweepReportWriter.WriteAsync(store, sweeps, folder, cancellationToken);
        var index = Path.Combine(path, "index.html");
        Console.Out.WriteLine(arguments.Has("json") ? new System.Text.Json.Nodes.JsonObject { ["event"] = "report", ["path"] = index }.ToJsonString() : $"report: {index}");
        return ExitCodes.Success;
    }
}
