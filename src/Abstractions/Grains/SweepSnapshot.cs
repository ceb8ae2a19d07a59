using GradDescent.Abstractions.Storage;

namespace GradDescent.Abstractions.Grains;

/// <summary>Progress of a sweep as its grain sees it now.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepSnapshot
{
    [Id(0)] public required string SweepId { get; init; }

    [Id(1)] public required string Name { get; init; }

    [Id(2)] public required string Experiment { get; init; }

    [Id(3)] public required SweepStatus State { get; init; }

    [Id(4)] public required long Total { get; init; }

    [Id(5)] public required long Completed { get; init; }

    [Id(6)] public required long Diverged { get; init; }

    [Id(7)] public required long Failed { get; init; }

    /// <summary>Trials out on a lease right now.</summary>
    [Id(8)] public required long InFlight { get; init; }

    /// <summary>Best primary metric so far (respecting the experiment's goal), null before any result.</summary>
    [Id(9)] public double? Best { get; init; }

    [Id(10)] public string? BestParameters { get; init; }

    /// <summary>Trials stored by this activation, and since when: the basis of trials/s.</summary>
    [Id(11)] public required long StoredThisRun { get; init; }

    [Id(12)] public required DateTimeOffset RunStartedAt { get; init; }

    [Id(13)] public string? Error { get; init; }

    /// <summary>Trials stopped early by the sweep's early-stopping rule (docs/search.md).</summary>
    [Id(14)] public long Pruned { get; init; }

    /// <summary>
    /// Why a running sweep's trials wait for a worker, e.g. <c>no live worker matches placement pool=gpu (...)</c>
    /// (docs/sweep-spec.md, Placement); null while workers take them.
    /// </summary>
    [Id(15)] public string? Waiting { get; init; }

    public long Done => Completed + Diverged + Failed + Pruned;

    public bool IsFinished => State is SweepStatus.Completed or SweepStatus.Cancelled or SweepStatus.Failed;
}
