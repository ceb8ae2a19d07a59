using System.CommandLine;
using System.Text.Json.Nodes;
using GradDescent.Hosting.Orleans;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using GradDescent.Storage.Extensions;
using GradDescent.Storage.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// <c>graddescent migrate</c>: creates or upgrades the result store's schema and, on PostgreSQL, installs the
/// Orleans membership tables of cluster mode, then exits (the deployment's schema Job). Idempotent, and safe
/// beside silos starting at the same time (both steps run under the database's own locks). A SQLite store gets
/// its schema only: cluster mode keeps membership in PostgreSQL.
/// </summary>
public sealed class MigrateCommand(
    IResultStore store, IOptions<DatabaseOptions> database, IOptions<ClusterOptions> cluster, ILoggerFactory loggers, MigrateCommand.Input input)
    : ICommandHandler
{
    public sealed record Input(bool Json);

    public static Command Create()
    {
        var json = CliOptions.Json();
        var command = new Command(
            "migrate",
            "Create or upgrade the result store's schema and, on PostgreSQL, the Orleans membership tables; then exit (idempotent).")
        {
            json,
        };
        command.SetAction((parse, ct) => CliHost.RunAsync<MigrateCommand>(
            parse,
            builder =>
            {
                builder.Services.AddGradDescentStorage().AddSingleton(new Input(parse.GetValue(json)));
                builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations();
            },
            ct,
            LogLevel.Information));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clustering = MembershipConnectionString();
        var version = await store.EnsureSchemaAsync(cancellationToken);
        if (clustering is not null)
        {
            await OrleansClusteringSchema.EnsureAsync(clustering, loggers, cancellationToken);
        }

        var membership = clustering is null ? "skipped (SQLite store; cluster mode needs PostgreSQL)" : "installed";
        Console.Out.WriteLine(input.Json
            ? new JsonObject
            {
                ["provider"] = store.Provider.ToString(),
                ["schema_version"] = version,
                ["orleans_membership"] = clustering is null ? "skipped" : "installed",
            }.ToJsonString()
            : $"result store ({store.Provider}): schema version {version}\norleans membership tables: {membership}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// The membership database: null when the store is SQLite and no clustering database is set (nothing to
    /// install); bad input when the clustering database is set to something other than PostgreSQL.
    /// </summary>
    private string? MembershipConnectionString()
    {
        var settings = cluster.Value;
        var connection = settings.ResolveClusteringConnectionString(database.Value);
        var explicitlySet = !string.IsNullOrWhiteSpace(settings.ClusteringConnectionString);
        StorageProvider provider;
        try
        {
            provider = ResultStoreFactory.DetectProvider(connection);
        }
        catch (ArgumentException e) when (explicitlySet)
        {
            throw new UsageException($"{ClusteringKey}: {e.Message.Split(" (Parameter", 2)[0]}");
        }

        if (provider == StorageProvider.PostgreSql)
        {
            return connection;
        }

        return explicitlySet
            ? throw new UsageException($"{ClusteringKey}: the Orleans membership tables live in PostgreSQL; give a PostgreSQL connection string (Host=...;Database=...)")
            : null;
    }

    private static string ClusteringKey =>
        $"{ClusterOptions.Section.Replace(":", "__", StringComparison.Ordinal)}__{nameof(ClusterOptions.ClusteringConnectionString)}";
}
