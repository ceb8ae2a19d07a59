using System.Collections.Immutable;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Grains.Sweeps;

/// <summary>A batch out on a worker, until its deadline (extended by heartbeats); its trials share one group of the trial source.</summary>
internal sealed class Lease(Guid id, WorkerInfo worker, ImmutableArray<TrialSpec> trials, DateTimeOffset deadline, int group = 0)
{
    public Guid Id { get; } = id;

    public WorkerInfo Worker { get; } = worker;

    public ImmutableArray<TrialSpec> Trials { get; } = trials;

    public DateTimeOffset Deadline { get; set; } = deadline;

    /// <summary>The trial source's group (a search generation) all its trials belong to.</summary>
    public int Group { get; } = group;
}
