namespace GradDescent.Abstractions.Experiments;

/// <summary>Whether a smaller or a larger value of an experiment's primary metric is better.</summary>
public enum MetricGoal
{
    Minimize,
    Maximize,
}
