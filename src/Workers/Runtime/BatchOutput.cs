using System.Collections.Immutable;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Workers.Runtime;

/// <summary>What a worker computed for one lease.</summary>
public sealed record BatchOutput(ImmutableArray<TrialResult> Results, ImmutableArray<TrialFailure> Failures);
