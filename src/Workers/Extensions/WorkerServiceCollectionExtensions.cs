using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Telemetry;
using GradDescent.Workers.Devices;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.Adversarial;
using GradDescent.Workers.Experiments.LinearRegression;
using GradDescent.Workers.Experiments.VectorSpread;
using GradDescent.Workers.Runtime;
using GradDescent.Workers.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Workers.Extensions;

/// <summary>Registers the experiments and the worker loop in a host.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// The worker: <see cref="AddGradDescentExperiments"/>, the <see cref="WorkerHost"/> pull loop (needs an
    /// <c>IGrainFactory</c>: an Orleans client or silo), <see cref="WorkerTelemetry"/> and the <c>silo</c>
    /// readiness check (the last control-plane call was answered).
    /// </summary>
    public static IServiceCollection AddGradDescentWorker(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGradDescentExperiments();
        services.TryAddSingleton<ControlPlaneConnection>();
        services.AddHealthChecks().AddCheck<ControlPlaneHealthCheck>(ControlPlaneHealthCheck.Name);
        services.AddHostedService<WorkerHost>();
        return services;
    }

    /// <summary>
    /// Binds and validates <see cref="WorkerOptions"/> (<c>GradDescent:Worker</c>) and registers the three
    /// experiments, their registry and the executor that runs fused batches of them. The experiments read files through
    /// the <see cref="FileGate"/> of <c>AddGradDescentFileAccess</c> when one is registered (none: no file parameters).
    /// </summary>
    public static IServiceCollection AddGradDescentExperiments(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, DeviceOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WorkerTelemetry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentTelemetry, WorkerTelemetry>(provider => provider.GetRequiredService<WorkerTelemetry>()));
        services.AddSingleton<IExperiment, LinearRegressionExperiment>();
        services.AddSingleton<IExperiment, VectorSpreadExperiment>();
        services.AddSingleton<IExperiment>(provider => new AdversarialExperiment(
            provider.GetService<ILogger<AdversarialExperiment>>(),
            cacheFolder: provider.GetRequiredService<IOptions<WorkerOptions>>().Value.CacheFolder is { Length: > 0 } folder ? folder : null,
            files: provider.GetService<FileGate>()));
        services.TryAddSingleton<ExperimentRegistry>();
        services.TryAddSingleton<TrialExecutor>();
        return services;
    }
}
