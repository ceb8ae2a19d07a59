using GradDescent.Abstractions.Files;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GradDescent.Workers.FileAccess;

/// <summary>Registers the <see cref="FileGate"/> every experiment reads and writes files through.</summary>
public static class FileAccessServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="FileAccessOptions"/> from <c>GradDescent:Files</c> (validated at start) and registers one
    /// <see cref="FileGate"/>. <paramref name="localRoots"/> are added to the configured roots: local mode passes the
    /// spec's folder and the working directory; a cluster worker passes none, so only explicitly configured roots
    /// (<c>GradDescent__Files__Roots__0</c>, …) are allowed, and with none every file parameter is refused.
    /// </summary>
    public static IServiceCollection AddGradDescentFileAccess(this IServiceCollection services, IEnumerable<string>? localRoots = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var extra = localRoots?.ToList() ?? [];
        services.AddOptions<FileAccessOptions>()
            .BindConfiguration(FileAccessOptions.Section)
            .PostConfigure(options => options.Roots.AddRange(extra))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(provider => new FileGate(
            provider.GetRequiredService<IOptions<FileAccessOptions>>().Value,
            provider.GetService<TimeProvider>()));
        return services;
    }
}
