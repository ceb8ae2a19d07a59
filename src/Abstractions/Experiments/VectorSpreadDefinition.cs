using GradDescent.Abstractions.Parameters;

namespace GradDescent.Abstractions.Experiments;

/// <summary>Article Example 2: N unit vectors in D dimensions, as far apart as possible.</summary>
public static class VectorSpreadDefinition
{
    public const string Name = "vector-spread";

    /// <summary>The article's rule: plain gradient ascent with step decay and optional norm clipping.</summary>
    public const string Ascent = "ascent";

    /// <summary>Maximise the smallest pairwise angle.</summary>
    public const string MinAngle = "min-angle";

    /// <summary>Maximise 0.7·min_i m_i − 0.3·Σ_i (m_i − mean m)², m_i the smallest angle from vector i.</summary>
    public const string MinAngleVariance = "min-angle-variance";

    /// <summary>Maximise −Σ_i ‖tangential part of the Coulomb-like repulsion on vector i‖.</summary>
    public const string TangentialForce = "tangential-force";

    public static IReadOnlyList<string> Methods { get; } = [MinAngle, MinAngleVariance, TangentialForce];

    public static ExperimentDefinition Instance { get; } = new()
    {
        Name = Name,
        Description = "Maximal spread of unit vectors on an N-dimensional sphere (article Example 2).",
        PrimaryMetric = "min_angle_deg",
        Goal = MetricGoal.Maximize,
        StepMetric = "min_angle_deg",
        OptimumMetric = "known_optimum_deg",
        EquivalenceTolerance = 0.01,
        ProblemParameters = ["vectors", "dims"],
        SeedUse = "draws the random starting vectors",
        Parameters =
        [
            new() { Name = "vectors", Kind = ParameterKind.Integer, Min = 2, Max = 100_000, Default = "20", Description = "Number of unit vectors N." },
            new() { Name = "dims", Kind = ParameterKind.Integer, Min = 2, Max = 10_000, Default = "2", Description = "Dimension D of the space." },
            new() { Name = "method", Kind = ParameterKind.Choice, Choices = Methods, Default = MinAngle, Description = "Objective to maximise." },
            new() { Name = "optimizer", Kind = ParameterKind.Choice, Choices = [Ascent, .. OptimizerCatalog.Names], Default = Ascent, Description = "Update rule." },
            new() { Name = "learning_rate", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Default = "0.01", Description = "Step size." },
            new() { Name = "iterations", Kind = ParameterKind.Integer, Min = 1, Max = 10_000_000, Default = "5000", Description = "Number of updates." },
            new() { Name = "lr_decay", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Max = 1, Default = "1", Description = "Factor applied to the learning rate every lr_decay_every iterations." },
            new() { Name = "lr_decay_every", Kind = ParameterKind.Integer, Min = 1, Default = "100", Description = "Iterations between learning-rate decays." },
            new() { Name = "clip_norm", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Description = "Clip each trial's gradient to this global norm; absent: no clipping." },
            .. OptimizerCatalog.HyperParameters,
        ],
    };
}
