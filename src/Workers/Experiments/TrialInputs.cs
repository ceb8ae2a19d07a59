using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Search;

namespace GradDescent.Workers.Experiments;

/// <summary>Checks on the inputs of a fused group that every experiment makes.</summary>
public static class TrialInputs
{
    /// <summary>
    /// The early-stopping plan the group's trials share (null: none), after checking that they all carry the same
    /// one, that it reads the experiment's step metric, and that the experiment can stop trials at all.
    /// </summary>
    /// <exception cref="ArgumentException">The trials carry different plans, or a plan this experiment cannot follow.</exception>
    public static StoppingPlan? SharedStoppingPlan(IReadOnlyList<TrialInput> trials, ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(definition);
        var plan = trials.Count == 0 ? null : trials[0].Stopping;
        for (var i = 1; i < trials.Count; i++)
        {
            if (!Equals(trials[i].Stopping, plan))
            {
                throw new ArgumentException($"trial {i} carries another early-stopping plan than trial 0; a fused group has one", nameof(trials));
            }
        }

        if (plan is null)
        {
            return null;
        }

        if (!definition.SupportsEarlyStopping)
        {
            throw new ArgumentException($"experiment '{definition.Name}' cannot stop trials early; its trials must carry no stopping plan", nameof(trials));
        }

        if (plan.Metric != definition.StepMetric)
        {
            throw new ArgumentException($"the stopping plan reads '{plan.Metric}', but {definition.Name} stops on its step metric '{definition.StepMetric}'", nameof(trials));
        }

        return plan;
    }
}
