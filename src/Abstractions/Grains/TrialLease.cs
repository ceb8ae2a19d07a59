using System.Collections.Immutable;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Abstractions.Grains;

/// <summary>
/// A batch of trials leased to one worker until <see cref="Deadline"/>. The worker extends it with
/// heartbeats; once it expires its trials go back to the queue and a late completion is refused.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrialLease(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] string SweepId,
    [property: Id(2)] DateTimeOffset Deadline,
    [property: Id(3)] TimeSpan HeartbeatInterval,
    [property: Id(4)] ImmutableArray<TrialSpec> Trials);
