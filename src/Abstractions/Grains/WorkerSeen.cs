namespace GradDescent.Abstractions.Grains;

/// <summary>A worker as the dispatcher last saw it.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerSeen(
    [property: Id(0)] WorkerInfo Worker,
    [property: Id(1)] DateTimeOffset LastSeen,
    [property: Id(2)] long TrialsLeased);
