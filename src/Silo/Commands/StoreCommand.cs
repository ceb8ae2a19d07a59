using System.CommandLine;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using GradDescent.Storage.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// Base of the commands that only read or change stored sweeps (no silo). A SQLite file that does not
/// exist is bad input: these commands never create a database.
/// </summary>
public abstract class StoreCommand(IResultStore store, IOptions<DatabaseOptions> database) : ICommandHandler
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (ResultStoreFactory.SqliteFile(database.Value.ConnectionString) is { } file && !File.Exists(file))
        {
            throw new UsageException($"no database at {file} (--db or GradDescent__Database__ConnectionString names the result store)");
        }

        await store.EnsureSchemaAsync(cancellationToken);
        return await RunAsync(store, cancellationToken);
    }

    /// <summary>Runs <typeparamref name="THandler"/> in a host with the result store and <paramref name="input"/>.</summary>
    protected static Task<int> RunAsync<THandler, TInput>(ParseResult parse, TInput input, CancellationToken cancellationToken)
        where THandler : StoreCommand
        where TInput : class =>
        CliHost.RunAsync<THandler>(
            parse,
            builder => builder.Services.AddGradDescentStorage().AddSingleton(input),
            cancellationToken);

    protected abstract Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken);

    protected static async Task<SweepRecord> RequireSweepAsync(IResultStore store, string sweepId, CancellationToken cancellationToken) =>
        await store.GetSweepAsync(sweepId, cancellationToken)
            ?? throw new UsageException($"no sweep '{sweepId}' in this database (graddescent sweeps lists them)");
}
