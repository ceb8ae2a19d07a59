using System.Collections.Immutable;

namespace GradDescent.Abstractions.Search;

/// <summary>One iteration at which a fused batch decides which of its trials go on.</summary>
/// <param name="Iteration">
/// Iterations done when the rule looks (a multiple of <see cref="StoppingPlan.MetricStep"/>); the value
/// read is the step series' value number <paramref name="Iteration"/>, index <c>Iteration - 1</c>.
/// </param>
/// <param name="Rung">ASHA rung k (0, 1, …); -1 for median stopping.</param>
/// <param name="History">
/// ASHA: the values earlier trials recorded at this rung, ascending. Each live row competes with these
/// alone (plus itself), never with the other rows of its batch.
/// </param>
/// <param name="Median">
/// Median stopping: the median of the values completed trials recorded at this iteration; null when
/// fewer than the rule's startup trials have one (then nothing stops here).
/// </param>
[GenerateSerializer, Immutable]
public sealed record StoppingCheckpoint(
    [property: Id(0)] int Iteration,
    [property: Id(1)] int Rung,
    [property: Id(2)] ImmutableArray<double> History,
    [property: Id(3)] double? Median);
