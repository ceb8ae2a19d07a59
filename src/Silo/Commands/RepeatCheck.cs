using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Sweeps;

namespace GradDescent.Silo.Commands;

/// <summary>
/// Whether a spec repeats trials whose result cannot depend on the seed (linear regression; an adversarial attack on a
/// given image): then every repeat recomputes the same numbers, and <c>validate</c> says so.
/// </summary>
public static class RepeatCheck
{
    /// <summary>Points checked at most; a spec whose first points all ignore the seed is taken to ignore it throughout.</summary>
    public const int MaxPointsChecked = 100_000;

    /// <returns>The warning, or null when the spec has one repeat or some point uses its seed.</returns>
    public static string? Warning(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Repeats < 2 || ExperimentCatalog.Find(spec.Experiment) is not { } definition)
        {
            return null;
        }

        var plan = SweepPlan.Create(spec);
        var points = Math.Min(plan.Points, MaxPointsChecked);
        for (long point = 0; point < points; point++)
        {
            if (definition.UsesSeed(plan.GetTrial(point * spec.Repeats).Parameters))
            {
                return null;
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{spec.SourceName}: warning: repeats: {spec.Repeats}, but {spec.Experiment} does not use the seed here, so every repeat computes the same result: the sweep runs {spec.TotalTrials:N0} trials where {plan.Points:N0} give the same answer (set repeats: 1)");
    }
}
