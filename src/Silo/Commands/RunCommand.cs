using System.CommandLine;
using GradDescent.Abstractions.Files;
using GradDescent.Grains.Sweeps;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using GradDescent.Sweeps;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent run SPEC</c>: local mode, one process, results in SQLite by default. File parameters may name files
/// in the spec's folder, the working directory and the configured roots.
/// </summary>
public sealed class RunCommand(
    IHost host, IOptions<SweepOptions> sweeps, IResultStore store, FileGate files, LocalSweepSession session, TimeProvider time, RunCommand.Input input)
    : ICommandHandler
{
    public sealed record Input(string SpecPath, SessionSettings Settings);

    public static Command Create()
    {
        var spec = CliOptions.Spec();
        var command = new Command("run", "Run a sweep locally (one process; results in ./graddescent.db unless --db says otherwise).")
        {
            spec, CliOptions.Device(), CliOptions.Slots(), CliOptions.MaxTrials(), CliOptions.MetricsPort(0),
        };
        var settings = SessionSettings.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var input = new Input(parse.GetRequiredValue(spec), settings(parse));
            return LocalSweepSession.RunHandlerAsync<RunCommand, Input>(parse, input, input.Settings, LocalFileRoots.ForSpec(input.SpecPath), ct);
        });
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // Validate before anything is written: a bad spec leaves no trace in the database.
        var spec = SpecFile.Load(input.SpecPath, new SweepSpecLimits { MaxTrials = sweeps.Value.MaxTrials, Files = files });
        await host.StartAsync(cancellationToken);
        var record = spec.NewRecord(time.GetUtcNow());
        await store.CreateSweepAsync(record, cancellationToken);
        if (!input.Settings.Json)
        {
            await Console.Error.WriteLineAsync($"sweep {record.Id}: {record.TotalTrials} trials of {record.Experiment} from {spec.Path}");
        }

        return await session.RunAsync(record.Id, cancellationToken);
    }
}
