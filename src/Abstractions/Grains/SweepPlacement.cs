namespace GradDescent.Abstractions.Grains;

/// <summary>
/// Where a sweep's trials may run: the spec's <c>placement</c> section (docs/sweep-spec.md). A worker matches when it was
/// started in <see cref="Pool"/> (when given) and computes on a device of kind <see cref="Device"/> (when given).
/// </summary>
/// <param name="Pool">The worker pool (<c>graddescent worker --pool</c>), or null for any pool.</param>
/// <param name="Device"><see cref="DeviceKinds.Cpu"/> or <see cref="DeviceKinds.Cuda"/>, or null for any device.</param>
[GenerateSerializer, Immutable]
public sealed record SweepPlacement(
    [property: Id(0)] string? Pool,
    [property: Id(1)] string? Device)
{
    /// <summary>Whether <paramref name="worker"/> may compute this sweep's trials.</summary>
    public bool Admits(WorkerInfo worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return (Pool is null || string.Equals(Pool, worker.Pool, StringComparison.Ordinal))
            && (Device is null || string.Equals(Device, DeviceKinds.Of(worker.Device), StringComparison.Ordinal));
    }

    /// <summary>As operators write it, e.g. <c>pool=gpu device=cuda</c>.</summary>
    public override string ToString() =>
        string.Join(' ', new[] { Pool is null ? null : $"pool={Pool}", Device is null ? null : $"device={Device}" }.OfType<string>());
}
