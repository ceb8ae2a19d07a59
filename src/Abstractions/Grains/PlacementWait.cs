namespace GradDescent.Abstractions.Grains;

/// <summary>Why a running sweep's trials wait for a worker (the <c>reason</c> label of <c>graddescent_sweeps_unplaced</c>).</summary>
public enum PlacementWaitReason
{
    /// <summary>The spec's placement names a pool or device no live worker has: it waits until one joins.</summary>
    NoMatchingWorker,

    /// <summary>No worker of the experiment's preferred device is live; other workers take it once the fallback wait has passed.</summary>
    AwaitingFallback,
}

/// <summary>The dispatcher's view of why a sweep waits, with the words <c>status</c> shows.</summary>
[GenerateSerializer, Immutable]
public sealed record PlacementWait(
    [property: Id(0)] PlacementWaitReason Reason,
    [property: Id(1)] string Text);
