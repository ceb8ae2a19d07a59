using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace GradDescent.Storage.Extensions;

/// <summary>Registers the result store in a host.</summary>
public static class ResultStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="IResultStore"/> for <paramref name="connectionString"/> (see
    /// <see cref="ResultStoreFactory.Create"/>), logging through the host's <see cref="ILoggerFactory"/>.
    /// The container disposes it. Call <see cref="IResultStore.EnsureSchemaAsync"/> at start-up.
    /// </summary>
    public static IServiceCollection AddResultStore(this IServiceCollection services, string connectionString, ResultStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ResultStoreFactory.DetectProvider(connectionString);
        services.TryAddSingleton(provider => ResultStoreFactory.Create(connectionString, options, provider.GetService<ILoggerFactory>()));
        return services;
    }
}
