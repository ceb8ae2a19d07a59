using GradDescent.Abstractions.Grains;
using GradDescent.Reports;
using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;

namespace GradDescent.Silo.Commands;

/// <summary>Builds a command's <see cref="SessionOutput"/> from its switches.</summary>
public static class SessionOutputs
{
    public static SessionOutput For(CommandArguments arguments)
    {
        var db = arguments.Option("db");
        var hint = db is null ? string.Empty : $" --db {(db.Contains(' ', StringComparison.Ordinal) ? $"\"{db}\"" : db)}";
        return new SessionOutput(arguments.Has("json"), arguments.Has("verbose"), hint, arguments.Has("no-report") ? null : Report(arguments));
    }

    /// <summary>The end-of-sweep report: into --out or reports/&lt;sweep-id&gt;, from the store the command uses.</summary>
    private static Func<SweepSnapshot, CancellationToken, Task<string?>> Report(CommandArguments arguments) => async (final, cancellationToken) =>
    {
        try
        {
            var configuration = GradDescentHosting.ReadConfiguration(GradDescentHosting.Overrides(arguments));
            await using var store = await GradDescentHosting.OpenStoreAsync(configuration, cancellationToken);
            var sweeps = await SweepReportWriter.ResolveAsync(store, [final.SweepId], cancellationToken);
            var folder = await SweepReportWriter.WriteAsync(store, sweeps, arguments.Option("out") ?? SweepReportWriter.DefaultFolder(final.SweepId), cancellationToken);
            return Path.Combine(folder, "index.html");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The sweep itself succeeded: say why there is no report and how to retry, but keep the exit code.
            await Console.Error.WriteLineAsync($"warning: the report could not be written ({e.GetType().Name}: {e.Message}); retry with: graddescent report {final.SweepId}");
            return null;
        }
    };
}
