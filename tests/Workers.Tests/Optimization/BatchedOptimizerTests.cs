using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Optimization;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradDescent.Workers.Tests.Optimization;

public sealed class BatchedOptimizerTests
{
    // Three trials with different learning rates and hyperparameters: trial 0 leaves everything but
    // the learning rate at the optimizer's default, trials 1 and 2 override different subsets.
    private static readonly Dictionary<string, double>[] Trials =
    [
        new() { ["learning_rate"] = 0.1 },
        new()
        {
            ["learning_rate"] = 0.05, ["momentum"] = 0.5, ["rho"] = 0.8, ["beta1"] = 0.8, ["beta2"] = 0.99,
            ["epsilon"] = 1e-3, ["weight_decay"] = 0.1, ["initial_accumulator"] = 0.5,
        },
        new() { ["learning_rate"] = 0.2, ["beta1"] = 0.95, ["rho"] = 0.99 },
    ];

    // Starting values: a [3, 2] parameter and a [3] parameter; loss 0.5 * (p - target)², gradient p - target.
    private static readonly double[][] StartMatrix = [[1.0, -0.5], [2.0, 0.25], [-1.5, 3.0]];
    private static readonly double[] MatrixTarget = [0.3, -0.7];
    private static readonly double[] StartVector = [0.5, -1.0, 4.0];
    private const double VectorTarget = 1.0;
    private const int Steps = 3;

    public static TheoryData<string> Names() => [.. OptimizerCatalog.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Step_ThreeTrialsThreeSteps_MatchesKerasFormulasPerTrial(string name)
    {
        using var scope = torch.NewDisposeScope();
        var matrix = torch.tensor(StartMatrix.SelectMany(r => r).Select(x => (float)x).ToArray(), [3, 2]);
        var vector = torch.tensor(StartVector.Select(x => (float)x).ToArray());
        using var optimizer = BatchedOptimizerFactory.Create(name, Trials.Select(ReferenceHyperParameters.ToParameterSet).ToList(), torch.CPU);
        var target = torch.tensor(MatrixTarget.Select(x => (float)x).ToArray());

        var references = Enumerable.Range(0, 3).Select(_ => new ReferenceOptimizer[3]).ToArray();
        var expected = StartMatrix.Select((row, i) => new[] { row[0], row[1], StartVector[i] }).ToArray();
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                references[i][j] = new ReferenceOptimizer(name, ReferenceHyperParameters.From(name, Trials[i]));
            }
        }

        for (var step = 1; step <= Steps; step++)
        {
            optimizer.Step([matrix, vector], [matrix - target, vector - VectorTarget]);
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    var goal = j < 2 ? MatrixTarget[j] : VectorTarget;
                    expected[i][j] = references[i][j].Step(expected[i][j], expected[i][j] - goal);
                }
            }

            var actualMatrix = matrix.data<float>().ToArray();
            var actualVector = vector.data<float>().ToArray();
            for (var i = 0; i < 3; i++)
            {
                AssertClose(expected[i][0], actualMatrix[(2 * i) + 0], $"{name} step {step} trial {i} p[0]");
                AssertClose(expected[i][1], actualMatrix[(2 * i) + 1], $"{name} step {step} trial {i} p[1]");
                AssertClose(expected[i][2], actualVector[i], $"{name} step {step} trial {i} q");
            }
        }
    }

    [Fact]
    public void Step_AdamFirstStep_MovesEachTrialByItsLearningRateAgainstTheGradientSign()
    {
        // With m = 0.1 g, v = 0.001 g² and alpha = lr * sqrt(0.001) / 0.1, Adam's first step is
        // lr * g / (|g| + eps / sqrt(0.001)), i.e. lr * sign(g) up to eps.
        using var scope = torch.NewDisposeScope();
        var p = torch.tensor(new float[] { 1f, 1f });
        using var optimizer = BatchedOptimizerFactory.Create("adam", [Set(("learning_rate", 0.1)), Set(("learning_rate", 0.01))], torch.CPU);
        optimizer.Step([p], [torch.tensor(new float[] { 4f, -2f })]);
        var actual = p.data<float>().ToArray();
        AssertClose(1.0 - (0.1 * 4.0 / (4.0 + (1e-7 / Math.Sqrt(0.001)))), actual[0], "trial 0");
        AssertClose(1.0 + (0.01 * 2.0 / (2.0 + (1e-7 / Math.Sqrt(0.001)))), actual[1], "trial 1");
    }

    [Fact]
    public void Step_MomentumTwoSteps_MatchesHandComputedValues()
    {
        // lr 0.1, momentum 0.9, constant gradient 1: v1 = -0.1, p1 = 0.9; v2 = -0.19, p2 = 0.71.
        // lr 0.5, momentum 0.5: v1 = -0.5, p1 = 0.5; v2 = -0.75, p2 = -0.25.
        using var scope = torch.NewDisposeScope();
        var p = torch.tensor(new float[] { 1f, 1f });
        using var optimizer = BatchedOptimizerFactory.Create(
            "momentum", [Set(("learning_rate", 0.1)), Set(("learning_rate", 0.5), ("momentum", 0.5))], torch.CPU);
        optimizer.Step([p], [torch.ones(2)]);
        optimizer.Step([p], [torch.ones(2)]);
        var actual = p.data<float>().ToArray();
        AssertClose(0.71, actual[0], "trial 0");
        AssertClose(-0.25, actual[1], "trial 1");
    }

    [Fact]
    public void ScaleLearningRate_Half_HalvesTheNextStep()
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.tensor(new float[] { 1f, 1f });
        using var optimizer = BatchedOptimizerFactory.Create("gd", [Set(("learning_rate", 0.1)), Set(("learning_rate", 0.4))], torch.CPU);
        optimizer.ScaleLearningRate(0.5);
        optimizer.Step([p], [torch.ones(2)]);
        var actual = p.data<float>().ToArray();
        AssertClose(0.95, actual[0], "trial 0");
        AssertClose(0.8, actual[1], "trial 1");
    }

    [Fact]
    public void Create_UnknownName_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => BatchedOptimizerFactory.Create("lbfgs", [ParameterSet.Empty], torch.CPU));
        Assert.Contains("'lbfgs'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_LeadingDimensionNotTrialCount_Throws()
    {
        using var scope = torch.NewDisposeScope();
        using var optimizer = BatchedOptimizerFactory.Create("adam", [ParameterSet.Empty, ParameterSet.Empty], torch.CPU);
        var p = torch.zeros(3, 2);
        var error = Assert.Throws<ArgumentException>(() => optimizer.Step([p], [torch.zeros(3, 2)]));
        Assert.Contains("trial count 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_GradientShapeDiffers_Throws()
    {
        using var scope = torch.NewDisposeScope();
        using var optimizer = BatchedOptimizerFactory.Create("sgd", [ParameterSet.Empty, ParameterSet.Empty], torch.CPU);
        var error = Assert.Throws<ArgumentException>(() => optimizer.Step([torch.zeros(2, 3)], [torch.zeros(2, 2)]));
        Assert.Contains("gradient 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_InsideCallerScope_KeepsStateAcrossScopes()
    {
        // State created during a step must survive the step's and the caller's dispose scopes.
        var p = torch.tensor(new float[] { 1f });
        using var optimizer = BatchedOptimizerFactory.Create("momentum", [Set(("learning_rate", 0.1))], torch.CPU);
        for (var i = 0; i < 2; i++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.Step([p], [torch.ones(1)]);
        }

        AssertClose(0.71, p.data<float>()[0], "after two steps");
        p.Dispose();
    }

    private static ParameterSet Set(params (string Name, double Value)[] values) =>
        ReferenceHyperParameters.ToParameterSet(values.ToDictionary(v => v.Name, v => v.Value));

    private static void AssertClose(double expected, float actual, string what)
    {
        var tolerance = 1e-6 + (2e-5 * Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }
}
