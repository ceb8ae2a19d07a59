using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent resume SWEEP</c>: continues an interrupted local sweep; stored trials are not run again.</summary>
public sealed class ResumeCommand : ICommand
{
    public string Name => "resume";

    public string Summary => "Continue an interrupted or cancelled sweep locally; stored trials are not re-run.";

    public string Usage => "resume <sweep-id> [--db PATH|CONNECTION] [--device auto|cpu|cuda] [--slots N] [--json] [--verbose]";

    public IReadOnlySet<string> Switches { get; } = new HashSet<string> { "json", "verbose", "no-report" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "db", "device", "slots" };

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        arguments.ExpectNoMore(1);
        var sweepId = arguments.Positional(0, "sweep-id");
        var overrides = GradDescentHosting.Overrides(arguments);
        var configuration = GradDescentHosting.ReadConfiguration(overrides);
        await using var store = await GradDescentHosting.OpenStoreAsync(configuration, cancellationToken);
        var sweep = await store.GetSweepAsync(sweepId, cancellationToken)
            ?? throw new UsageException($"no sweep '{sweepId}' in {GradDescentHosting.ConnectionString(configuration)}");
        if (sweep.Status == SweepStatus.Completed)
        {
            Console.Out.WriteLine($"sweep {sweepId} is already completed");
            return ExitCodes.Success;
        }

        return await LocalSweepSession.RunAsync(overrides, store, sweepId, SessionOutputs.For(arguments), cancellationToken);
    }
}
