namespace GradDescent.Sweeps.Search;

/// <summary>What an algorithm may know when it proposes one generation.</summary>
/// <param name="Generation">The generation being proposed.</param>
/// <param name="FirstIndex">Trial index of its first point.</param>
/// <param name="Count">How many points to propose.</param>
/// <param name="Observations">
/// The finished trials of every generation up to <c>Generation − parallel_batches</c>, by trial index: all
/// of them, and only them, whatever else has finished by now.
/// </param>
/// <param name="Pending">
/// Points proposed by the generations in between (running, or finished but not visible), by trial index.
/// </param>
internal sealed record SearchContext(
    int Generation,
    long FirstIndex,
    int Count,
    IReadOnlyList<TrialObservation> Observations,
    IReadOnlyList<(long Index, SearchPoint Point)> Pending);
