using GradDescent.Abstractions.Parameters;

namespace GradDescent.Abstractions.Experiments;

/// <summary>Article Example 1: weight = slope * height + intercept, loss = mean squared error.</summary>
public static class LinearRegressionDefinition
{
    public const string Name = "linear-regression";

    /// <summary>Start of the article's first run: the exact least-squares slope and an intercept of −180.</summary>
    public const string ArticleStart = "article";

    /// <summary>Start at the exact least-squares solution (nothing moves unless an init_* parameter moves it away).</summary>
    public const string ExactStart = "exact";

    /// <summary>Start at slope 0, intercept 0.</summary>
    public const string ZeroStart = "zero";

    /// <summary>The intercept of <see cref="ArticleStart"/>.</summary>
    public const double ArticleStartIntercept = -180;

    public static ExperimentDefinition Instance { get; } = new()
    {
        Name = Name,
        Description = "Linear regression of weight on height by gradient descent (article Example 1 and 'Using optimizers').",
        PrimaryMetric = "mse",
        Goal = MetricGoal.Minimize,
        PreferredDevice = Grains.DeviceKinds.Cpu,
        StepMetric = "loss",
        OptimumMetric = "exact_mse",
        ProblemParameters = ["data"],
        FusionParameters = ["data", "optimizer", "iterations"],
        UsesSeed = static _ => false,
        SeedUse = "not used: the run is deterministic, so repeats give identical results (use repeats: 1)",
        FinalMetrics = ["mse", "loss", "slope", "intercept", "exact_slope", "exact_intercept", "exact_mse", "mse_gap"],
        StepMetrics = ["loss", "slope", "intercept"],
        SupportsEarlyStopping = true,
        Parameters =
        [
            new() { Name = "data", Kind = ParameterKind.Path, Description = "CSV file with Height and Weight columns; absent: a deterministic synthetic sample of 150 adult men." },
            new() { Name = "optimizer", Kind = ParameterKind.Choice, Choices = OptimizerCatalog.Names, Default = OptimizerCatalog.GradientDescent, Description = "Update rule." },
            new() { Name = "learning_rate", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Default = "2E-05", Description = "Step size." },
            new() { Name = "iterations", Kind = ParameterKind.Integer, Min = 1, Max = 1_000_000, Default = "25", Description = "Number of updates." },
            new() { Name = "start", Kind = ParameterKind.Choice, Choices = [ArticleStart, ExactStart, ZeroStart], Default = ArticleStart, Description = "Starting point: article = the article's first run (exact least-squares slope, intercept -180); exact = the least-squares solution; zero = (0, 0). init_slope and init_intercept override its parts." },
            new() { Name = "init_slope", Kind = ParameterKind.Real, Description = "Starting slope; absent: the slope of start." },
            new() { Name = "init_intercept", Kind = ParameterKind.Real, Description = "Starting intercept; absent: the intercept of start." },
            new() { Name = "intercept_grad_scale", Kind = ParameterKind.Real, Min = 0, MinExclusive = true, Default = "1", Description = "Factor on the intercept's gradient before every optimizer's update (the article's manual gd runs use 1000, its optimizer runs 1)." },
            .. OptimizerCatalog.HyperParameters,
        ],
    };
}
