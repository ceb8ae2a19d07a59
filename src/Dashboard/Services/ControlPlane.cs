using System.Collections.Immutable;
using GradDescent.Abstractions.Grains;

namespace GradDescent.Dashboard.Services;

/// <summary>
/// The dashboard's calls into the Orleans control plane (an in-process local silo, or a cluster reached as a client).
/// Every call has a deadline, so a silo that is down makes a page show stored data instead of hanging.
/// </summary>
public sealed class ControlPlane(IGrainFactory grains)
{
    private static readonly TimeSpan ReadDeadline = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WriteDeadline = TimeSpan.FromSeconds(30);

    /// <returns>The grain's snapshot, or null when the control plane does not answer in time.</returns>
    public async Task<SweepSnapshot?> TrySnapshotAsync(string sweepId, CancellationToken cancellationToken)
    {
        try
        {
            return await grains.GetGrain<ISweepGrain>(sweepId).GetSnapshotAsync().WaitAsync(ReadDeadline, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <exception cref="ControlPlaneUnavailableException">The control plane did not answer.</exception>
    public Task<ImmutableArray<WorkerSeen>> WorkersAsync(CancellationToken cancellationToken) =>
        CallAsync(() => grains.GetGrain<IDispatcherGrain>(0).GetWorkersAsync(), ReadDeadline, cancellationToken);

    /// <exception cref="ControlPlaneUnavailableException">The control plane did not answer.</exception>
    public Task<SweepSnapshot> StartAsync(string sweepId, CancellationToken cancellationToken) =>
        CallAsync(() => grains.GetGrain<ISweepGrain>(sweepId).StartAsync(), WriteDeadline, cancellationToken);

    /// <exception cref="ControlPlaneUnavailableException">The control plane did not answer.</exception>
    public Task<SweepSnapshot> ChangeAsync(string sweepId, SweepAction action, CancellationToken cancellationToken)
    {
        var sweep = grains.GetGrain<ISweepGrain>(sweepId);
        return CallAsync(
            () => action switch
            {
                SweepAction.Cancel => sweep.CancelAsync(),
                SweepAction.Pause => sweep.PauseAsync(),
                SweepAction.Resume => sweep.ResumeAsync(),
                _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown sweep action"),
            },
            WriteDeadline,
            cancellationToken);
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call, TimeSpan deadline, CancellationToken cancellationToken)
    {
        try
        {
            return await call().WaitAsync(deadline, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or InvalidOperationException)
        {
            throw new ControlPlaneUnavailableException($"the control plane did not answer ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }
}

/// <summary>What a state-changing request asks of a sweep.</summary>
public enum SweepAction
{
    Cancel,
    Pause,
    Resume,
}

/// <summary>The Orleans control plane could not be reached: the request is answered with 503.</summary>
public sealed class ControlPlaneUnavailableException(string message, Exception inner) : Exception(message, inner);
