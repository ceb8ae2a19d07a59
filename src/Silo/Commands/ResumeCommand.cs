using System.CommandLine;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent resume SWEEP</c>: continues an interrupted or cancelled sweep locally; stored trials are not run again.
/// File parameters may name files in the working directory, the configured roots and the folder of the spec the sweep
/// was started from, if it still exists. A sweep another local run is running now is refused.
/// </summary>
public sealed class ResumeCommand(
    IHost host, IResultStore store, IOptions<DatabaseOptions> database, LocalFileRoots roots, LocalSweepSession session, TimeProvider time, ResumeCommand.Input input)
    : ICommandHandler
{
    public sealed record Input(string Sweep, SessionSettings Settings);

    public static Command Create()
    {
        var sweep = CliOptions.SweepId();
        var command = new Command("resume", "Continue an interrupted or cancelled sweep locally; stored trials are not re-run.")
        {
            sweep, CliOptions.Device(), CliOptions.Slots(), CliOptions.MetricsPort(0),
        };
        var settings = SessionSettings.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var input = new Input(parse.GetRequiredValue(sweep), settings(parse));
            return LocalSweepSession.RunHandlerAsync<ResumeCommand, Input>(parse, input, input.Settings, LocalFileRoots.ForSpec(null), ct);
        });
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // The schema first (a database from an older version gains the columns read below), then the sweep, then the
        // host: the file gate's roots include the stored spec's folder, known only once the sweep is read.
        StoreCommand.RequireExistingDatabase(database.Value);
        await store.EnsureSchemaAsync(cancellationToken);
        var sweep = await new SweepResolver(store, time).ResolveAsync(input.Sweep, cancellationToken);
        if (sweep.Status == SweepStatus.Completed)
        {
            Console.Out.WriteLine($"sweep {sweep.Id} is already completed");
            return ExitCodes.Success;
        }

        if (sweep.Liveness.IsLocalRunAlive(time.GetUtcNow()))
        {
            throw new UsageException(
                $"sweep {sweep.Id} is being run by {sweep.LocalSession} (last heartbeat {sweep.HeartbeatAt:u}); stop that run first (Ctrl-C there, or graddescent cancel {sweep.Id})");
        }

        if (LocalFileRoots.FolderOf(sweep.SpecPath) is { } specFolder && Directory.Exists(specFolder))
        {
            roots.Add(specFolder);
        }

        await host.StartAsync(cancellationToken);
        return await session.RunAsync(sweep.Id, cancellationToken);
    }
}
