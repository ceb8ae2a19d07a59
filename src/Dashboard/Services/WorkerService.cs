namespace GradDescent.Dashboard.Services;

/// <summary>The workers page: what the dispatcher grain knows of each worker.</summary>
public sealed class WorkerService(ControlPlane controlPlane, TimeProvider time)
{
    /// <exception cref="ControlPlaneUnavailableException">The control plane did not answer.</exception>
    public async Task<IReadOnlyList<WorkerView>> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var workers = await controlPlane.WorkersAsync(cancellationToken);
        return [.. workers
            .OrderBy(w => w.Worker.WorkerId, StringComparer.Ordinal)
            .Select(w => new WorkerView(
                w.Worker.WorkerId, w.Worker.Host, w.Worker.Device, w.Worker.Slots, w.BusySlots, w.Worker.BatchesDone, w.TrialsLeased, w.LastSeen,
                Math.Max(0, (now - w.LastSeen).TotalSeconds)))];
    }
}
