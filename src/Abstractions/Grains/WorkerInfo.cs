namespace GradDescent.Abstractions.Grains;

/// <summary>What a worker advertises when it asks for work.</summary>
/// <param name="WorkerId">Stable id of the worker process (stored with every result it computes).</param>
/// <param name="Device">Torch device it computes on: <c>cpu</c> or <c>cuda:N</c>.</param>
/// <param name="Slots">How many fused batches it runs at once.</param>
/// <param name="Host">Machine name, for operators.</param>
/// <param name="Pool">The worker pool it was started in (<c>--pool</c>), e.g. <c>cpu</c> or <c>gpu</c>.</param>
/// <param name="BusySlots">Slots computing a batch when the request was sent (the asking slot is free).</param>
/// <param name="BatchesDone">Leases the worker has finished computing since it started.</param>
[GenerateSerializer, Immutable]
public sealed record WorkerInfo(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] string Device,
    [property: Id(2)] int Slots,
    [property: Id(3)] string Host,
    [property: Id(4)] string Pool = WorkerInfo.DefaultPool,
    [property: Id(5)] int BusySlots = 0,
    [property: Id(6)] long BatchesDone = 0)
{
    public const string DefaultPool = "default";

    /// <summary>What a pool name may be (a Kubernetes label value): 1-63 lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit.</summary>
    public const string PoolPattern = "^[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?$";
}
