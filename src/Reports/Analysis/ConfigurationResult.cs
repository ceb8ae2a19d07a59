using GradDescent.Storage.Reports;

namespace GradDescent.Reports.Analysis;

/// <summary>One configuration of the sweep (its seeds' statistics from <c>learning_rate_curve</c>) and where it sits in the comparison.</summary>
/// <param name="Row">The view's row.</param>
/// <param name="Parameters">Every parameter but the seed (name → canonical text).</param>
/// <param name="Contender">Its contender's label, e.g. <c>adam</c> or <c>min-angle / adam</c>.</param>
/// <param name="Group">Its problem group's label, e.g. <c>vectors=20 dims=3</c>; empty when no problem parameter varies.</param>
public sealed record ConfigurationResult(LearningRateCurveRow Row, IReadOnlyDictionary<string, string> Parameters, string Contender, string Group)
{
    /// <summary>The configuration's value of a parameter, or <see cref="SweepAxes.Absent"/>.</summary>
    public string ValueOf(string parameter) => Parameters.GetValueOrDefault(parameter, SweepAxes.Absent);

    /// <summary>Every seed completed and came within the far factor of the optimum.</summary>
    public bool AllConverged => Row.Trials > 0 && Row.Converged == Row.Trials;
}
