using GradDescent.Abstractions.Telemetry;
using GradDescent.Grains.Calls;
using GradDescent.Grains.Dispatch;
using GradDescent.Grains.Sweeps;
using GradDescent.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GradDescent.Grains.Extensions;

/// <summary>Registers what the control-plane grains need in a silo host.</summary>
public static class ControlPlaneServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="SweepOptions"/> (<c>GradDescent:Sweeps</c>), and registers the clock and
    /// <see cref="GrainsTelemetry"/> and the <see cref="SerializableErrorsFilter"/> (no grain exception a caller cannot
    /// deserialise). The grains also need an <c>IResultStore</c> (AddGradDescentStorage).
    /// </summary>
    /// <param name="resumeRunningSweepsAtStart">
    /// Wake the dispatcher when the host starts, so sweeps the store lists as running resume without waiting
    /// for a worker (cluster silos). It calls a grain: register it after the Orleans silo.
    /// </param>
    /// <param name="localWorkerOnly">
    /// Local mode: this process's own worker is the only one, and it takes every sweep at once (no placement, no
    /// preferred device: <see cref="PlacementPolicy"/>).
    /// </param>
    public static IServiceCollection AddGradDescentControlPlane(this IServiceCollection services, bool resumeRunningSweepsAtStart = false, bool localWorkerOnly = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(localWorkerOnly ? PlacementPolicy.LocalWorker : PlacementPolicy.Cluster);
        services.AddOptions<SweepOptions>().BindConfiguration(SweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainsTelemetry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentTelemetry, GrainsTelemetry>(provider => provider.GetRequiredService<GrainsTelemetry>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncomingGrainCallFilter, SerializableErrorsFilter>());
        if (resumeRunningSweepsAtStart)
        {
            services.AddHostedService<ControlPlaneStartup>();
        }

        return services;
    }

    /// <summary>
    /// Registers <see cref="SweepStatusTelemetry"/> (<c>graddescent_sweeps{status}</c>, read from the result store every
    /// 15 s) for a host that runs the control plane's grains: a silo, <c>run</c>, a dashboard on SQLite. Needs an
    /// <c>IResultStore</c> (AddGradDescentStorage).
    /// </summary>
    public static IServiceCollection AddGradDescentSweepStatusTelemetry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SweepStatusTelemetry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentTelemetry, SweepStatusTelemetry>(provider => provider.GetRequiredService<SweepStatusTelemetry>()));
        services.AddHostedService<SweepStatusRefresher>();
        return services;
    }
}
