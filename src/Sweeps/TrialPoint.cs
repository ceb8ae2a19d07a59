using GradDescent.Abstractions.Parameters;

namespace GradDescent.Sweeps;

/// <summary>One trial of a sweep's expansion.</summary>
/// <param name="Index">Position in the expansion, 0-based, stable across resumes.</param>
/// <param name="Parameters">Bound parameters: canonical, defaults filled in.</param>
/// <param name="Seed">The trial's random seed: the repeat index.</param>
/// <param name="PointIndex">Which point (grid points first, then random samples) the trial repeats.</param>
/// <param name="Repeat">Which repeat of the point, 0..repeats-1.</param>
[GenerateSerializer, Immutable]
public sealed record TrialPoint(
    [property: Id(0)] long Index,
    [property: Id(1)] ParameterSet Parameters,
    [property: Id(2)] int Seed,
    [property: Id(3)] long PointIndex,
    [property: Id(4)] int Repeat);
