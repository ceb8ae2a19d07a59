using GradDescent.Abstractions.Search;

namespace GradDescent.Sweeps.Search;

/// <summary>The <c>early_stopping</c> section of a search sweep (absent or <c>algorithm: none</c>: no early stopping).</summary>
/// <param name="Rule">ASHA or median stopping.</param>
/// <param name="Metric">The step series the rule reads: the experiment's step metric.</param>
/// <param name="MetricStep">The rule looks every this many iterations (<c>metric_step</c>).</param>
/// <param name="MinIterations">
/// ASHA: the first rung, rungs at <c>min_iterations·η^k</c>. Median: no trial stops before this many iterations.
/// </param>
/// <param name="ReductionFactor">ASHA's η (<c>reduction_factor</c>, ≥ 2); 0 for median stopping.</param>
/// <param name="StartupTrials">Median: completed trials needed at an iteration before anything stops there; 0 for ASHA.</param>
[GenerateSerializer, Immutable]
public sealed record EarlyStoppingSpec(
    [property: Id(0)] EarlyStoppingRule Rule,
    [property: Id(1)] string Metric,
    [property: Id(2)] int MetricStep,
    [property: Id(3)] int MinIterations,
    [property: Id(4)] int ReductionFactor,
    [property: Id(5)] int StartupTrials);
