using System.Net;
using Npgsql;

namespace GradDescent.Storage.Orleans;

/// <summary>
/// The gateways the Orleans membership table lists as active for a cluster: where a client would connect. A silo
/// killed without a goodbye stays listed as active until another silo declares it dead, so a listed gateway is a
/// candidate, not proof of life; callers probe the endpoints (the command line does, before waiting on a client).
/// </summary>
public static class ClusterGateways
{
    /// <summary>Orleans' <c>SiloStatus.Active</c>.</summary>
    private const int ActiveStatus = 3;

    /// <param name="connectionString">The clustering database (PostgreSQL).</param>
    /// <param name="clusterId">The Orleans cluster id (<c>DeploymentId</c> in the table).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The active gateways' endpoints; empty when the membership table does not exist yet (no silo ever started).</returns>
    public static async Task<IReadOnlyList<IPEndPoint>> ListActiveAsync(string connectionString, string clusterId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        if (ResultStoreFactory.DetectProvider(connectionString) != StorageProvider.PostgreSql)
        {
            throw new ArgumentException("the Orleans membership table is on PostgreSQL only; give an Npgsql connection string (Host=...)", nameof(connectionString));
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT Address, ProxyPort FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Status = @status AND ProxyPort > 0",
            connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        command.Parameters.AddWithValue("status", ActiveStatus);
        var gateways = new List<IPEndPoint>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (IPAddress.TryParse(reader.GetString(0), out var address))
                {
                    gateways.Add(new IPEndPoint(address, reader.GetInt32(1)));
                }
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }

        return gateways;
    }
}
