namespace GradDescent.Abstractions.Search;

/// <summary>How a search sweep stops unpromising trials while their fused batch runs (docs/search.md).</summary>
[GenerateSerializer]
public enum EarlyStoppingRule
{
    /// <summary>
    /// Asynchronous successive halving: at rung k (iteration <c>min_iterations·η^k</c>) a trial goes on
    /// only if its value is among the best 1/η of every value recorded at that rung.
    /// </summary>
    Asha,

    /// <summary>A trial stops when its best value so far is worse than the median of completed trials at the same iteration.</summary>
    Median,
}
