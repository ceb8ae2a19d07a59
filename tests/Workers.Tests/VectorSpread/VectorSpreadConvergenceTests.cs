using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Experiments;
using Xunit;

namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>
/// Every objective and every update rule reaches the closed-form optimum on small cases: three
/// vectors in 2-D (120°) and four in 3-D (the tetrahedron, 109.47°). Eight seeds run fused per case.
/// </summary>
public sealed class VectorSpreadConvergenceTests
{
    private const double ToleranceDegrees = 0.5;
    private static readonly int[] Seeds = [0, 1, 2, 3, 4, 5, 6, 7];

    public static TheoryData<string, int, int> MethodCases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var method in VectorSpreadDefinition.Methods)
        {
            data.Add(method, 3, 2);
            data.Add(method, 4, 3);
        }

        return data;
    }

    public static TheoryData<string> Optimizers() => [.. OptimizerCatalog.Names];

    /// <summary>
    /// The article's rule with a large step halved every 50 iterations. (Smaller steps can leave
    /// tangential-force on 4 vectors in 3-D at the square on a great circle, 90°: it is a force
    /// equilibrium too, so it also maximises that objective.)
    /// </summary>
    [Theory]
    [MemberData(nameof(MethodCases))]
    public void RunFused_AscentOnSmallCase_ReachesKnownOptimum(string method, int vectors, int dims)
    {
        var parameters = SpreadTrials.Bind(
            ("vectors", vectors), ("dims", dims), ("method", method), ("learning_rate", 0.2),
            ("iterations", 400), ("lr_decay", 0.5), ("lr_decay_every", 50));

        AssertAllReachOptimum(parameters, vectors == 3 ? 120.0 : 109.47122063449069);
    }

    /// <summary>
    /// Each optimizer minimises the negated min-angle objective. Adagrad's accumulator shrinks its
    /// steps, so it needs a larger rate; adadelta's steps are tiny unless its learning rate is large
    /// (Keras' form multiplies its unit-less update by the learning rate).
    /// </summary>
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void RunFused_OptimizerOnMinAngle_ReachesKnownOptimum(string optimizer)
    {
        var learningRate = optimizer switch
        {
            "adadelta" => 50.0,
            "adagrad" => 0.2,
            _ => 0.05,
        };
        foreach (var (vectors, dims, optimum) in new[] { (3, 2, 120.0), (4, 3, 109.47122063449069) })
        {
            var parameters = SpreadTrials.Bind(
                ("vectors", vectors), ("dims", dims), ("method", VectorSpreadDefinition.MinAngle), ("optimizer", optimizer),
                ("learning_rate", learningRate), ("iterations", 400), ("lr_decay", 0.5), ("lr_decay_every", 50));
            AssertAllReachOptimum(parameters, optimum);
        }
    }

    private static void AssertAllReachOptimum(Abstractions.Parameters.ParameterSet parameters, double optimum)
    {
        var outcomes = SpreadTrials.Run(Seeds.Select(seed => new TrialInput(parameters, seed)).ToArray());

        Assert.All(outcomes, outcome =>
        {
            Assert.Null(outcome.DivergedAtStep);
            Assert.InRange(outcome.Metrics["min_angle_deg"], optimum - ToleranceDegrees, optimum + 1e-3);
            Assert.Equal(optimum, outcome.Metrics["known_optimum_deg"], 9);
            Assert.Equal(optimum - outcome.Metrics["min_angle_deg"], outcome.Metrics["gap_deg"], 9);
        });
    }
}
