using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Search;

namespace GradDescent.Workers.Experiments;

/// <summary>One trial of a fused group: validated parameters, the repeat's seed, and the early-stopping plan of its lease.</summary>
/// <param name="Parameters">The trial's parameters, defaults filled in.</param>
/// <param name="Seed">The repeat's seed.</param>
/// <param name="Stopping">
/// The lease's early-stopping plan (docs/search.md), the same for every trial of a group; null: the trial runs to its
/// end. Only experiments whose definition says <c>SupportsEarlyStopping</c> accept one.
/// </param>
public sealed record TrialInput(ParameterSet Parameters, int Seed, StoppingPlan? Stopping = null);
