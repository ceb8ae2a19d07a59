using GradDescent.Abstractions.Parameters;

namespace GradDescent.Abstractions.Trials;

/// <summary>One trial to run: a point of a sweep (or a lone command-line trial).</summary>
/// <param name="SweepId">The sweep the trial belongs to.</param>
/// <param name="Index">The trial's position in the sweep's expansion (0-based, stable across resumes).</param>
/// <param name="Experiment">Experiment name from the catalog.</param>
/// <param name="Parameters">Validated parameters, defaults filled in.</param>
/// <param name="Seed">Random seed of this repeat.</param>
/// <param name="Attempt">1 on the first try, incremented on each retry.</param>
[GenerateSerializer, Immutable]
public sealed record TrialSpec(
    [property: Id(0)] string SweepId,
    [property: Id(1)] long Index,
    [property: Id(2)] string Experiment,
    [property: Id(3)] ParameterSet Parameters,
    [property: Id(4)] int Seed,
    [property: Id(5)] int Attempt);
