using GradDescent.Abstractions.Telemetry;
using GradDescent.Storage.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Storage.Extensions;

/// <summary>Registers the result store in a host.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="DatabaseOptions"/> (<c>GradDescent:Database</c>) and registers one
    /// <see cref="IResultStore"/> for its connection string and transient-retry budget (created on first use; nothing is opened before),
    /// its <see cref="StorageTelemetry"/> and the <c>store</c> readiness check. The schema is not touched:
    /// hosts that write add <see cref="AddGradDescentStoreSchemaAtStart"/>.
    /// </summary>
    public static IServiceCollection AddGradDescentStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageTelemetry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentTelemetry, StorageTelemetry>(provider => provider.GetRequiredService<StorageTelemetry>()));
        services.TryAddSingleton(provider =>
        {
            var database = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return ResultStoreFactory.Create(
                database.ConnectionString,
                new ResultStoreOptions { TimeProvider = provider.GetRequiredService<TimeProvider>(), TransientRetryBudget = database.TransientRetryBudget },
                provider.GetService<ILoggerFactory>(),
                provider.GetRequiredService<StorageTelemetry>());
        });
        services.AddHealthChecks().AddCheck<StoreHealthCheck>(StoreHealthCheck.Name, timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary>
    /// Creates or upgrades the schema when the host starts. Hosted services start in registration order:
    /// call this before anything that uses the store at start (the Orleans silo, a worker).
    /// </summary>
    public static IServiceCollection AddGradDescentStoreSchemaAtStart(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHostedService<StoreSchemaStartup>();
        return services;
    }
}
