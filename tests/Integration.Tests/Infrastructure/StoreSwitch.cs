using System.Net;
using Npgsql;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>
/// A switch between a silo and its result store (PostgreSQL): the silo's database connections run through a
/// <see cref="TcpForwarder"/> that <see cref="Sever"/> cuts (every connection dropped, new ones refused: an outage or
/// a restart as the silo sees it) until <see cref="Restore"/>. Membership keeps the direct connection, so the cluster
/// itself stays up.
/// </summary>
public sealed class StoreSwitch : IAsyncDisposable
{
    private readonly TcpForwarder forwarder;
    private readonly string connection;

    private StoreSwitch(string connection)
    {
        this.connection = connection;
        var direct = new NpgsqlConnectionStringBuilder(connection);
        forwarder = TcpForwarder.Start(new IPEndPoint(IPAddress.Loopback, 0), new DnsEndPoint(direct.Host!, direct.Port));
    }

    public static StoreSwitch Start(string connection) => new(connection);

    /// <summary>
    /// The cluster's variables for a silo behind the switch, with a short store retry budget (2 s) and lease pause
    /// (1 s), so an outage of a few seconds reaches the workers as "store unavailable".
    /// </summary>
    public Dictionary<string, string> SiloEnvironment(IReadOnlyDictionary<string, string> cluster) => new(cluster)
    {
        ["GradDescent__Database__ConnectionString"] = new NpgsqlConnectionStringBuilder(connection) { Host = "127.0.0.1", Port = forwarder.Port }.ConnectionString,
        ["GradDescent__Cluster__ClusteringConnectionString"] = connection,
        ["GradDescent__Database__TransientRetryBudget"] = "00:00:02",
        ["GradDescent__Sweeps__StoreRetryAfter"] = "00:00:01",
    };

    public void Sever() => forwarder.Sever();

    public void Restore() => forwarder.Restore();

    public ValueTask DisposeAsync() => forwarder.DisposeAsync();
}
