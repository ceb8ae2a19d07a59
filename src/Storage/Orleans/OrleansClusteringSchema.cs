using GradDescent.Storage.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GradDescent.Storage.Orleans;

/// <summary>
/// Installs, on PostgreSQL, the tables and queries that Orleans' ADO.NET clustering provider
/// (<c>Invariant = "Npgsql"</c>) needs: <c>OrleansQuery</c>, <c>OrleansMembershipVersionTable</c> and
/// <c>OrleansMembershipTable</c>. Idempotent, and safe when several silos start at once.
/// </summary>
public static class OrleansClusteringSchema
{
    /// <summary>Advisory lock key that serializes installs ("GDORLEAN").</summary>
    private const long InstallLockKey = 0x4744_4F52_4C45_414E;

    // Unquoted identifiers: the provider's own "SELECT QueryKey, QueryText FROM OrleansQuery" is unquoted too,
    // so PostgreSQL folds every name to lower case on both sides; Npgsql matches result columns case-insensitively.
    private const string TablesSql = """
        CREATE TABLE IF NOT EXISTS OrleansQuery (
            QueryKey   varchar(64) NOT NULL PRIMARY KEY,
            QueryText  text NOT NULL
        );

        CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable (
            DeploymentId  varchar(150) NOT NULL PRIMARY KEY,
            Timestamp     timestamptz NOT NULL DEFAULT now(),
            Version       integer NOT NULL DEFAULT 0
        );

        CREATE TABLE IF NOT EXISTS OrleansMembershipTable (
            DeploymentId  varchar(150) NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
            Address       varchar(45) NOT NULL,
            Port          integer NOT NULL,
            Generation    integer NOT NULL,
            SiloName      varchar(150) NOT NULL,
            HostName      varchar(150) NOT NULL,
            Status        integer NOT NULL,
            ProxyPort     integer NULL,
            SuspectTimes  text NULL,
            StartTime     timestamptz NOT NULL,
            IAmAliveTime  timestamptz NOT NULL,
            PRIMARY KEY (DeploymentId, Address, Port, Generation)
        );
        """;

    /// <summary>The query keys installed (every key the provider loads).</summary>
    public static IReadOnlyCollection<string> QueryKeys => OrleansClusteringQueries.All.Keys.ToArray();

    /// <summary>Creates the tables if missing and installs (or refreshes) every membership query.</summary>
    /// <param name="connectionString">An Npgsql connection string to the clustering database.</param>
    public static Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default) =>
        EnsureAsync(connectionString, loggerFactory: null, cancellationToken);

    /// <summary>Creates the tables if missing and installs (or refreshes) every membership query, logging to <paramref name="loggerFactory"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string to the clustering database.</param>
    /// <param name="loggerFactory">Logs the install and any retried transient error.</param>
    /// <param name="cancellationToken">Cancels the install (the transaction rolls back).</param>
    public static async Task EnsureAsync(string connectionString, ILoggerFactory? loggerFactory, CancellationToken cancellationToken = default)
    {
        if (ResultStoreFactory.DetectProvider(connectionString) != StorageProvider.PostgreSql)
        {
            throw new ArgumentException("Orleans ADO.NET clustering is installed on PostgreSQL only; give an Npgsql connection string (Host=...)", nameof(connectionString));
        }

        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("GradDescent.Storage.Orleans");
        var writes = new StorageResilience(new ResultStoreOptions(), logger);
        await writes.ExecuteAsync(async ct => await InstallAsync(connectionString, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        StorageLog.OrleansClusteringInstalled(logger, OrleansClusteringQueries.All.Count);
    }

    private static async Task InstallAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({InstallLockKey}); {TablesSql}", connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (key, text) in OrleansClusteringQueries.All)
        {
            await using var upsert = new NpgsqlCommand(
                "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText",
                connection,
                transaction);
            upsert.Parameters.AddWithValue("key", key);
            upsert.Parameters.AddWithValue("text", text);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
