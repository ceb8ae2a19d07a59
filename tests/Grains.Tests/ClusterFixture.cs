using GradDescent.Grains.Extensions;
using GradDescent.Grains.Sweeps;
using GradDescent.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Xunit;

namespace GradDescent.Grains.Tests;

/// <summary>
/// One in-process Orleans test cluster for the grain tests, with a real SQLite result store in a
/// temporary file and a clock the tests can move forward.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    private static readonly string DatabasePath = Path.Combine(Path.GetTempPath(), $"graddescent-grains-{Guid.NewGuid():N}.db");

    // The silo configurator is created by type, so the store and clock it shares with the tests are static.
    internal static readonly IResultStore SharedStore = ResultStoreFactory.Create($"Data Source={DatabasePath}");

    internal static readonly SkewableTimeProvider SharedTime = new();

    public TestCluster Cluster { get; private set; } = null!;

    public IResultStore Store => SharedStore;

    public SkewableTimeProvider Time => SharedTime;

    public async Task InitializeAsync()
    {
        await SharedStore.EnsureSchemaAsync();
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await SharedStore.DisposeAsync();
        File.Delete(DatabasePath);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.ConfigureServices(services =>
        {
            services.AddSingleton(SharedStore);
            services.AddSingleton<TimeProvider>(SharedTime);
            // No placement timer: the tests lease from sweep grains directly and tell them about placement themselves
            // (SweepPlacementTests); PlacementBoardTests cover the dispatcher's matching.
            services.AddGradDescentControlPlane(localWorkerOnly: true);
            services.Configure<SweepOptions>(o =>
            {
                o.LeaseDuration = LeaseDuration;
                o.MaxBatchTrials = 4;
            });
        });
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
