using GradDescent.Abstractions.Experiments;

namespace GradDescent.Storage;

/// <summary>
/// One objective of a search sweep as the <c>sweep_objectives</c> table holds it: the name of the final metric in
/// <c>trials.metrics</c> that carries its value (e.g. <c>mse</c> or <c>iterations_to_99pct_min_angle_deg</c>) and
/// which way is better. The views <c>trial_objectives</c> and <c>pareto_front</c> read it (docs/schema.md).
/// </summary>
public sealed record SweepObjectiveRecord(string Name, MetricGoal Goal);
