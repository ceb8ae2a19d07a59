using GradDescent.Storage;
using GradDescent.Storage.Orleans;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GradDescent.Hosting.Orleans;

/// <summary>Installs the Orleans membership tables in PostgreSQL before the silo starts.</summary>
internal sealed class ClusteringSchemaStartup(IOptions<ClusterOptions> cluster, IOptions<DatabaseOptions> database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        OrleansClusteringSchema.EnsureAsync(cluster.Value.ResolveClusteringConnectionString(database.Value), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
