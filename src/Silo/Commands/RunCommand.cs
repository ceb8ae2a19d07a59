using GradDescent.Grains.Sweeps;
using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent run SPEC</c>: local mode, one process, results in SQLite by default.</summary>
public sealed class RunCommand : ICommand
{
    public string Name => "run";

    public string Summary => "Run a sweep locally (one process; results in ./graddescent.db unless --db says otherwise).";

    public string Usage => "run <spec.yaml> [--db PATH|CONNECTION] [--device auto|cpu|cuda] [--slots N] [--max-trials N] [--json] [--verbose]";

    public IReadOnlySet<string> Switches { get; } = new HashSet<string> { "json", "verbose", "no-report" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "db", "device", "slots", "max-trials" };

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        arguments.ExpectNoMore(1);
        var overrides = GradDescentHosting.Overrides(arguments);
        var configuration = GradDescentHosting.ReadConfiguration(overrides);
        var maxTrials = configuration.GetSection(SweepOptions.Section).Get<SweepOptions>()?.MaxTrials ?? new SweepOptions().MaxTrials;

        // Validate before anything is written: a bad spec leaves no trace in the database.
        var spec = SpecFile.Load(arguments.Positional(0, "spec"), maxTrials);
        await using var store = await GradDescentHosting.OpenStoreAsync(configuration, cancellationToken);
        var record = spec.NewRecord(DateTimeOffset.UtcNow);
        await store.CreateSweepAsync(record, cancellationToken);
        if (!arguments.Has("json"))
        {
            await Console.Error.WriteLineAsync($"sweep {record.Id}: {record.TotalTrials} trials of {record.Experiment} from {spec.Path}");
        }

        return await LocalSweepSession.RunAsync(overrides, store, record.Id, SessionOutputs.For(arguments), cancellationToken);
    }
}
