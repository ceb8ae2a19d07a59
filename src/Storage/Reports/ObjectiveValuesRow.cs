namespace GradDescent.Storage.Reports;

/// <summary>
/// A completed trial's objective values in the sweep's objective order (the <c>trial_objectives</c> and
/// <c>pareto_front</c> views), with its parameters as a compact JSON object (keys in ordinal order).
/// </summary>
public sealed record ObjectiveValuesRow(long TrialIndex, IReadOnlyList<double> Values, string Parameters);
