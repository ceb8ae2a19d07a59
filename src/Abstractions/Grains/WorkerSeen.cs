namespace GradDescent.Abstractions.Grains;

/// <summary>A worker as the dispatcher last saw it.</summary>
/// <param name="Worker">What the worker reported with its last lease request (device, slots, batches done).</param>
/// <param name="LastSeen">When that request arrived.</param>
/// <param name="TrialsLeased">Trials handed to the worker since the dispatcher activated.</param>
/// <param name="BusySlots">Slots computing after that request: the reported busy slots, plus the asking one if it got a lease.</param>
[GenerateSerializer, Immutable]
public sealed record WorkerSeen(
    [property: Id(0)] WorkerInfo Worker,
    [property: Id(1)] DateTimeOffset LastSeen,
    [property: Id(2)] long TrialsLeased,
    [property: Id(3)] int BusySlots = 0);
