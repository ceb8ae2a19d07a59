using System.Collections.Immutable;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// A finished trial as the searcher and the early-stopping rules see it: rebuilt from the stored trial
/// (<see cref="SearchObservations.FromResult"/>), so the searcher's whole state comes from the store.
/// </summary>
/// <param name="Index">The trial's index in the sweep (its generation is <c>Index / batch</c>).</param>
/// <param name="Point">Its parameters as a point of the space.</param>
/// <param name="Kind">Completed, pruned, diverged or failed.</param>
/// <param name="Values">
/// Completed: one value per objective, as reported (not negated). Pruned: one value, the step metric at
/// <paramref name="PrunedAt"/>. Otherwise empty.
/// </param>
/// <param name="PrunedAt">Pruned: the iteration it stopped at; otherwise null.</param>
/// <param name="Evaluations">
/// The early-stopping metric at iterations <c>metric_step</c>, <c>2·metric_step</c>, … as far as the
/// trial ran (empty without early stopping): what ASHA's rungs and the median rule compare.
/// </param>
public sealed record TrialObservation(
    long Index,
    SearchPoint Point,
    ObservationKind Kind,
    ImmutableArray<double> Values,
    int? PrunedAt,
    ImmutableArray<double> Evaluations)
{
    public static TrialObservation Completed(long index, SearchPoint point, params double[] values) =>
        new(index, point, ObservationKind.Completed, [.. values], null, []);

    public static TrialObservation Pruned(long index, SearchPoint point, int iteration, double value) =>
        new(index, point, ObservationKind.Pruned, [value], iteration, []);

    public static TrialObservation Diverged(long index, SearchPoint point) =>
        new(index, point, ObservationKind.Diverged, [], null, []);

    public static TrialObservation Failed(long index, SearchPoint point) =>
        new(index, point, ObservationKind.Failed, [], null, []);

    /// <summary>True when the result carries information for the searcher (everything but a failure).</summary>
    public bool Informs => Kind != ObservationKind.Failed;
}
