using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace GradDescent.Hosting.Tls;

/// <summary>Registers <see cref="ClusterTlsOptions"/> (validated at start) and puts TLS into a silo's or a client's connections.</summary>
internal static class ClusterTlsServiceExtensions
{
    /// <summary>A silo: inbound silo and gateway connections, outbound silo connections.</summary>
    public static IServiceCollection AddClusterTlsForSilo(this IServiceCollection services, Func<IServiceProvider, ClusterTlsScope> scope)
    {
        AddCore(services, scope);
        services.AddOptions<SiloConnectionOptions>().Configure<ClusterTlsConnections>((connections, tls) => tls.Configure(connections));
        return services;
    }

    /// <summary>A cluster client: its gateway connections.</summary>
    public static IServiceCollection AddClusterTlsForClient(this IServiceCollection services)
    {
        AddCore(services, _ => ClusterTlsScope.Client);
        services.AddOptions<ClientConnectionOptions>().Configure<ClusterTlsConnections>((connections, tls) => tls.Configure(connections));
        return services;
    }

    private static void AddCore(IServiceCollection services, Func<IServiceProvider, ClusterTlsScope> scope)
    {
        services.AddOptions<ClusterTlsOptions>().BindConfiguration(ClusterTlsOptions.Section).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(scope);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterTlsOptions>, ClusterTlsOptionsValidator>());
        services.TryAddSingleton<ClusterTlsConnections>();
    }
}
