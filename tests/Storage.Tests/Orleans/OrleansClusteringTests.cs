using System.Net;
using System.Net.Sockets;
using GradDescent.Storage.Orleans;
using GradDescent.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;

namespace GradDescent.Storage.Tests.Orleans;

public sealed class OrleansClusteringTests(PostgresDatabaseFixture postgres) : IClassFixture<PostgresDatabaseFixture>
{
    private const int ActiveStatus = 3;

    [Fact]
    public async Task EnsureAsync_CalledTwice_InstallsEveryQueryOnce()
    {
        var connectionString = await postgres.CreateSchemaAsync();

        await OrleansClusteringSchema.EnsureAsync(connectionString);
        await OrleansClusteringSchema.EnsureAsync(connectionString);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey", connection);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Equal(
            [
                "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
                "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey",
                "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
            ],
            keys);
    }

    [Fact]
    public async Task Silo_AdoNetClusteringInPostgres_ClientFindsGatewayAndCallsGrain()
    {
        // Each test schema is a separate membership store: put it first on the search path of both hosts.
        var connectionString = await postgres.CreateSchemaAsync();
        await OrleansClusteringSchema.EnsureAsync(connectionString);
        var clusterId = $"test-{Guid.NewGuid():N}";
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        using var silo = new HostBuilder()
            .UseOrleans(builder => builder
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "graddescent-storage-tests"))
                .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort)
                .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString)))
            .Build();
        await silo.StartAsync(timeout.Token);

        using var client = new HostBuilder()
            .UseOrleansClient(builder => builder
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "graddescent-storage-tests"))
                .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString)))
            .Build();
        await client.StartAsync(timeout.Token);

        var reply = await client.Services.GetRequiredService<IClusterClient>().GetGrain<IEchoGrain>(42).EchoAsync("hello");

        Assert.Equal("42:hello", reply);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT Address, Port, ProxyPort, Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster", connection);
            command.Parameters.AddWithValue("cluster", clusterId);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), "the silo wrote no membership row");
            Assert.Equal(("127.0.0.1", siloPort, gatewayPort, ActiveStatus), (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
            Assert.False(await reader.ReadAsync(), "more than one membership row for a one-silo cluster");
        }

        await client.StopAsync(timeout.Token);
        await silo.StopAsync(timeout.Token);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
