using GradDescent.Abstractions.Grains;
using Microsoft.Extensions.Hosting;

namespace GradDescent.Grains.Extensions;

/// <summary>
/// Wakes the dispatcher when the control silo starts, so sweeps the store lists as running resume
/// without waiting for the first worker.
/// </summary>
internal sealed class ControlPlaneStartup(IGrainFactory grains) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        await grains.GetGrain<IDispatcherGrain>(0).GetRunningSweepsAsync().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
