using System.CommandLine;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using GradDescent.Storage.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// Base of the commands that only read or change stored sweeps (no silo of their own): sweeps, status, results,
/// report, cancel, delete. A SQLite file that does not exist is bad input: these commands never create a database.
/// </summary>
public abstract class StoreCommand(IResultStore store, IOptions<DatabaseOptions> database, TimeProvider time) : ICommandHandler
{
    protected TimeProvider Time => time;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        RequireExistingDatabase(database.Value);
        await store.EnsureSchemaAsync(cancellationToken);
        return await RunAsync(store, cancellationToken);
    }

    /// <summary>Runs <typeparamref name="THandler"/> in a host with the result store and <paramref name="input"/>.</summary>
    /// <param name="services">Adds what else the command needs (e.g. the file gate of <c>report</c>).</param>
    protected static Task<int> RunAsync<THandler, TInput>(
        ParseResult parse, TInput input, CancellationToken cancellationToken, Action<IServiceCollection>? services = null)
        where THandler : StoreCommand
        where TInput : class =>
        CliHost.RunAsync<THandler>(
            parse,
            builder =>
            {
                builder.Services.AddGradDescentStorage().AddSingleton(input);
                services?.Invoke(builder.Services);
            },
            cancellationToken);

    /// <summary>A command about stored sweeps never creates a database: a SQLite file that does not exist is bad input.</summary>
    /// <exception cref="UsageException">The SQLite file does not exist.</exception>
    public static void RequireExistingDatabase(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (ResultStoreFactory.SqliteFile(database.ConnectionString) is { } file && !File.Exists(file))
        {
            throw new UsageException($"no database at {file} (--db or GradDescent__Database__ConnectionString names the result store)");
        }
    }

    protected abstract Task<int> RunAsync(IResultStore store, CancellationToken cancellationToken);

    /// <summary>The sweep named by id, or the newest of that name (said on stderr).</summary>
    /// <exception cref="UsageException">No sweep has that id or name.</exception>
    protected Task<SweepRecord> RequireSweepAsync(IResultStore store, string idOrName, CancellationToken cancellationToken) =>
        new SweepResolver(store, time).ResolveAsync(idOrName, cancellationToken);
}
