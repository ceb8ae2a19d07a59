using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Hosting.Orleans;
using GradDescent.Silo.Cli;
using GradDescent.Storage;
using GradDescent.Storage.Orleans;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Silo.Commands;

/// <summary>
/// Changes a sweep's state where it runs. A local run (fresh heartbeat) watches its stored status and applies a change
/// within a second, so the store is told. A cluster sweep is told through its control silo's grain, when a gateway the
/// membership table lists accepts connections; when none does, no silo runs the sweep and the store is changed directly
/// (a silo started later resumes only sweeps stored as running). A silo that accepts connections but does not answer
/// is an error: changing only the store would leave that silo handing out trials.
/// </summary>
public sealed class SweepControl(
    IResultStore store, IOptions<DatabaseOptions> database, IOptions<ClusterOptions> cluster, IConfiguration configuration, TimeProvider time)
{
    /// <summary>How long a gateway has to accept a TCP connection.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a silo that accepts connections has to answer the grain call.</summary>
    private static readonly TimeSpan ClusterTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Registers this class and the cluster settings it reads.</summary>
    public static void AddTo(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<SweepControl>();
    }

    /// <summary>Cancels a pending or running sweep; stored results stay, <c>resume</c> continues it.</summary>
    /// <returns>What was done, for stdout.</returns>
    /// <exception cref="ClusterUnavailableException">A control silo listens but did not answer; nothing was changed.</exception>
    public async Task<string> CancelAsync(SweepRecord sweep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        if (sweep.Liveness.IsLocalRunAlive(time.GetUtcNow()))
        {
            await store.SetSweepStatusAsync(sweep.Id, SweepStatus.Cancelled, null, cancellationToken);
            return $"sweep {sweep.Id} cancelled; its local run ({sweep.LocalSession}) stops within a second";
        }

        if (store.Provider == StorageProvider.Sqlite || sweep.LocalSession is not null)
        {
            // Nothing runs it: SQLite sweeps are local only, and this local run is gone.
            await store.SetSweepStatusAsync(sweep.Id, SweepStatus.Cancelled, null, cancellationToken);
            return $"sweep {sweep.Id} cancelled";
        }

        var silos = await AnsweringGatewaysAsync(cancellationToken);
        if (silos.Count == 0)
        {
            await store.SetSweepStatusAsync(sweep.Id, SweepStatus.Cancelled, null, cancellationToken);
            return $"sweep {sweep.Id} cancelled in the store: no control silo is running (none accepts connections), and one started later does not resume it";
        }

        await CallSiloAsync(sweep.Id, silos, grain => grain.CancelAsync(), cancellationToken);
        return $"sweep {sweep.Id} cancelled by the control silo";
    }

    /// <summary>The gateways of the cluster that accept a TCP connection now (a killed silo stays listed until replaced).</summary>
    private async Task<IReadOnlyList<IPEndPoint>> AnsweringGatewaysAsync(CancellationToken cancellationToken)
    {
        var settings = cluster.Value;
        IReadOnlyList<IPEndPoint> listed;
        try
        {
            listed = await ClusterGateways.ListActiveAsync(settings.ResolveClusteringConnectionString(database.Value), settings.ClusterId, cancellationToken);
        }
        catch (DbException e)
        {
            throw new ClusterUnavailableException($"cannot read the cluster's membership table ({e.Message.Split('\n', 2)[0]}); nothing was changed", e);
        }

        var probed = await Task.WhenAll(listed.Select(async endpoint => await AcceptsAsync(endpoint, cancellationToken) ? endpoint : null));
        return [.. probed.OfType<IPEndPoint>()];
    }

    private static async Task<bool> AcceptsAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>One call to the sweep's grain through a short-lived cluster client over the same configuration.</summary>
    private async Task CallSiloAsync(string sweepId, IReadOnlyList<IPEndPoint> silos, Func<ISweepGrain, Task> call, CancellationToken cancellationToken)
    {
        var builder = CliHost.CreateBuilder(configuration, LogLevel.None);
        builder.AddGradDescentClusterClient();
        using var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ClusterTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
            await call(host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISweepGrain>(sweepId)).WaitAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ClusterUnavailableException(
                $"a control silo accepts connections at {string.Join(", ", silos)} but did not answer within {ClusterTimeout.TotalSeconds:0} s "
                + $"({e.GetType().Name}); nothing was changed: retry, or stop that silo and retry",
                e);
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await host.StopAsync(stopping.Token);
        }
    }
}
