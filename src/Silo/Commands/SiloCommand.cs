using GradDescent.Silo.Cli;
using GradDescent.Silo.Hosting;
using GradDescent.Storage.Orleans;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradDescent.Silo.Commands;

/// <summary><c>graddescent silo</c>: the cluster's control plane (sweep grains, dispatcher), membership in PostgreSQL.</summary>
public sealed class SiloCommand : ICommand
{
    public string Name => "silo";

    public string Summary => "Run a control silo of a cluster (membership and results in PostgreSQL).";

    public string Usage => "silo   (configure with GradDescent__Database__ConnectionString, GradDescent__Cluster__SiloPort, ...)";

    public IReadOnlySet<string> Switches { get; } = new HashSet<string>();

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "db" };

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        arguments.ExpectNoMore(0);
        var overrides = GradDescentHosting.Overrides(arguments);
        var configuration = GradDescentHosting.ReadConfiguration(overrides);
        var clustering = OrleansHosting.ClusteringConnectionString(configuration, configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions());
        await OrleansClusteringSchema.EnsureAsync(clustering, cancellationToken);
        await using var store = await GradDescentHosting.OpenStoreAsync(configuration, cancellationToken);
        var builder = GradDescentHosting.CreateBuilder(overrides, LogLevel.Information);
        builder.AddClusterSilo(store);
        using var host = builder.Build();
        await host.RunAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
