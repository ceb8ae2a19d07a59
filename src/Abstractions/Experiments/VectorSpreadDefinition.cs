using GradDescent.Abstractions.Parameters;

namespace GradDescent.Abstractions.Experiments;

/// <summary>
/// Article Example 2: N unit vectors in D dimensions, as far apart as possible. Each method has its
/// own defaults (the article's settings for its three objectives; docs/vector-spread.md for energy).
/// </summary>
public static class VectorSpreadDefinition
{
    public const string Name = "vector-spread";

    /// <summary>
    /// The artefact a trial stores for the report's animation: JSON <c>{"steps": [s₀, s₁, …], "vectors": [frame₀, frame₁, …]}</c>,
    /// each frame the N unit vectors ([N][D]) after sᵢ updates (s₀ = 0: the start).
    /// </summary>
    public const string TrajectoryArtifact = "trajectory.json";

    /// <summary>The article's rule: plain gradient ascent with step decay and optional norm clipping.</summary>
    public const string Ascent = "ascent";

    /// <summary>Maximise the smallest pairwise angle.</summary>
    public const string MinAngle = "min-angle";

    /// <summary>Maximise 0.7·min_i m_i − 0.3·Σ_i (m_i − mean m)², m_i the smallest angle from vector i.</summary>
    public const string MinAngleVariance = "min-angle-variance";

    /// <summary>Maximise −Σ_i ‖tangential part of the Coulomb-like repulsion on vector i‖.</summary>
    public const string TangentialForce = "tangential-force";

    /// <summary>
    /// Minimise the Riesz s-energy Σ_{i&lt;j} ‖u_i − u_j‖^(−s) (s = 1: the Thomson problem), with s
    /// raised during the run towards the max-min (Tammes) objective.
    /// </summary>
    public const string Energy = "energy";

    public static IReadOnlyList<string> Methods { get; } = [MinAngle, MinAngleVariance, TangentialForce, Energy];

    public static ExperimentDefinition Instance { get; } = new()
    {
        Name = Name,
        Description = "Maximal spread of unit vectors on an N-dimensional sphere (article Example 2).",
        PrimaryMetric = "min_angle_deg",
        Goal = MetricGoal.Maximize,
        PreferredDevice = Grains.DeviceKinds.Cpu,
        StepMetric = "min_angle_deg",
        OptimumMetric = "known_optimum_deg",
        EquivalenceTolerance = 0.01,
        ProblemParameters = ["vectors", "dims"],
        FusionParameters = ["vectors", "dims", "method", "optimizer", "iterations", "lr_decay_every", "lr_decay", "restarts"],
        SeedUse = "draws the random starting vectors",
        FinalMetrics = ["min_angle_deg", "objective", "known_optimum_deg", "gap_deg"],
        StepMetrics = ["min_angle_deg", "objective"],
        Parameters =
        [
            new() { Name = "vectors", Kind = ParameterKind.Integer, Min = 2, Max = 100_000, Default = "20", Description = "Number of unit vectors N." },
            new() { Name = "dims", Kind = ParameterKind.Integer, Min = 2, Max = 10_000, Default = "2", Description = "Dimension D of the space." },
            new() { Name = "method", Kind = ParameterKind.Choice, Choices = Methods, Default = Energy, Description = "Objective to maximise; each method brings its own defaults for the update rule (docs/vector-spread.md)." },
            new()
            {
                Name = "optimizer", Kind = ParameterKind.Choice, Choices = [Ascent, .. OptimizerCatalog.Names], Default = Ascent,
                DependentDefault = ByMethod(energy: "adam"),
                Description = "Update rule (default: ascent, the article's; adam for energy).",
            },
            new()
            {
                Name = "learning_rate", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Default = "0.01",
                DependentDefault = ByMethod(tangentialForce: "0.001"),
                Description = "Step size (default 0.01; 0.001 for tangential-force, the article's).",
            },
            new()
            {
                Name = "iterations", Kind = ParameterKind.Integer, Min = 1, Max = 10_000_000, Default = "5000",
                DependentDefault = ByMethod(tangentialForce: "500", energy: "2000"),
                Description = "Number of updates (default 5000; 500 for tangential-force, 2000 for energy).",
            },
            new()
            {
                Name = "lr_decay", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Max = 1, Default = "1",
                DependentDefault = ByMethod(tangentialForce: "0.7", energy: "0.8"),
                Description = "Factor applied to the learning rate every lr_decay_every iterations (default 1; 0.7 for tangential-force, 0.8 for energy).",
            },
            new() { Name = "lr_decay_every", Kind = ParameterKind.Integer, Min = 1, Default = "100", Description = "Iterations between learning-rate decays." },
            new()
            {
                Name = "clip_norm", Kind = ParameterKind.Real, Min = 0, MinExclusive = true,
                DependentDefault = ByMethod(tangentialForce: "200", energy: "10"),
                Description = "Clip each start's gradient to this global norm (default: none; 200 for tangential-force, the article's; 10 for energy).",
            },
            new()
            {
                Name = "restarts", Kind = ParameterKind.Integer, Min = 1, Max = 1024, Default = "1",
                DependentDefault = ByMethod(energy: "16"),
                Description = "Independent random starts run side by side; the trial reports the one with the largest final minimum angle (default 1; 16 for energy).",
            },
            new()
            {
                Name = "energy_s", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Max = 100_000,
                DependentDefault = ByMethod(energy: "1"),
                Description = "energy only: the Riesz exponent s at the start (1: Coulomb, the Thomson problem). Restarts start spread geometrically between energy_s and sqrt(energy_s*energy_s_final).",
            },
            new()
            {
                Name = "energy_s_final", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Max = 100_000,
                DependentDefault = ByMethod(energy: "1000"),
                Description = "energy only: the exponent reached at the last iteration, geometrically from the start (large s approaches the max-min objective; equal to energy_s: no annealing).",
            },
            .. OptimizerCatalog.HyperParameters,
        ],
    };

    private static DependentDefault ByMethod(string? tangentialForce = null, string? energy = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (tangentialForce is not null)
        {
            values[TangentialForce] = tangentialForce;
        }

        if (energy is not null)
        {
            values[Energy] = energy;
        }

        return new DependentDefault("method", values);
    }
}
