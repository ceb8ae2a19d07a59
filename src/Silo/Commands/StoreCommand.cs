using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;
using GradDescent.Storage;

namespace GradDescent.Silo.Commands;

/// <summary>Base of the commands that only read or write the result store (no silo).</summary>
public abstract class StoreCommand : ICommand
{
    public abstract string Name { get; }

    public abstract string Summary { get; }

    public abstract string Usage { get; }

    public virtual IReadOnlySet<string> Switches { get; } = new HashSet<string> { "json" };

    public virtual IReadOnlySet<string> Options { get; } = new HashSet<string> { "db" };

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var configuration = GradDescentHosting.ReadConfiguration(GradDescentHosting.Overrides(arguments));
        await using var store = await GradDescentHosting.OpenStoreAsync(configuration, cancellationToken);
        return await RunAsync(arguments, store, cancellationToken);
    }

    protected abstract Task<int> RunAsync(CommandArguments arguments, IResultStore store, CancellationToken cancellationToken);

    protected static async Task<Abstractions.Storage.SweepRecord> RequireSweepAsync(IResultStore store, string sweepId, CancellationToken cancellationToken) =>
        await store.GetSweepAsync(sweepId, cancellationToken)
            ?? throw new UsageException($"no sweep '{sweepId}' in this database (graddescent sweeps lists them)");
}
