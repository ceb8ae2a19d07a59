using System.Collections.Immutable;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Abstractions.Grains;

/// <summary>
/// What a worker sends back for a lease: results of trials that ran, failures of those that threw, and the lease's
/// <see cref="TrialLease.Token"/> (a completion without the right token is refused).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LeaseCompletion(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] string WorkerId,
    [property: Id(2)] ImmutableArray<TrialResult> Results,
    [property: Id(3)] ImmutableArray<TrialFailure> Failures,
    [property: Id(4)] Guid Token = default);
