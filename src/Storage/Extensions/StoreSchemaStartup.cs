using Microsoft.Extensions.Hosting;

namespace GradDescent.Storage.Extensions;

/// <summary>Creates or upgrades the result store's schema when the host starts, before the services after it.</summary>
internal sealed class StoreSchemaStartup(IResultStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.EnsureSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
