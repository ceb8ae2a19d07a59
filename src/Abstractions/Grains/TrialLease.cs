using System.Collections.Immutable;
using GradDescent.Abstractions.Search;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Abstractions.Grains;

/// <summary>
/// A batch of trials leased to one worker until <see cref="Deadline"/>. The worker extends it with
/// heartbeats; once it expires its trials go back to the queue and a late completion is refused.
/// </summary>
/// <param name="Stopping">
/// How the worker stops unpromising trials early while the batch runs (a search sweep with
/// <c>early_stopping</c>, docs/search.md); null: every trial runs to its end. A lease holds trials of one
/// search generation, whose plan this is.
/// </param>
[GenerateSerializer, Immutable]
public sealed record TrialLease(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] string SweepId,
    [property: Id(2)] DateTimeOffset Deadline,
    [property: Id(3)] TimeSpan HeartbeatInterval,
    [property: Id(4)] ImmutableArray<TrialSpec> Trials,
    [property: Id(5)] StoppingPlan? Stopping = null);
