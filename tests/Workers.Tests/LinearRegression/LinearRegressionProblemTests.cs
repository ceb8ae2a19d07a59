using GradDescent.Workers.Experiments.LinearRegression;
using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests.LinearRegression;

public sealed class LinearRegressionProblemTests
{
    [Fact]
    public void LossAndGradient_SyntheticData_MatchesAutograd()
    {
        using var scope = torch.NewDisposeScope();
        using var problem = new LinearRegressionProblem(SyntheticHeightWeight.Data, torch.CPU);
        var theta = torch.tensor(new float[] { 6f, -180f, 5f, -230f, 0.5f, 10f, 7.5f, -300f }, [4, 2]);

        var (loss, gradient) = problem.LossAndGradient(theta);

        var leaf = theta.clone().requires_grad_(true);
        var autogradLoss = problem.Loss(leaf);
        autogradLoss.sum().backward();
        var expected = leaf.grad!.data<float>().ToArray();
        var actual = gradient.data<float>().ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1.0, Math.Abs(expected[i])), $"gradient {i}: autograd {expected[i]}, analytic {actual[i]}");
        }

        Assert.Equal(autogradLoss.data<float>().ToArray(), loss.data<float>().ToArray());
    }

    [Fact]
    public void LossAndGradient_TwoPoints_MatchesHandComputation()
    {
        // Points (1, 0) and (-1, 0); at slope 1, intercept 2 the residuals are 3 and 1:
        // loss = (9 + 1) / 2 = 5, dslope = 2 * (3*1 + 1*(-1)) / 2 = 2, dintercept = 2 * (3 + 1) / 2 = 4.
        using var scope = torch.NewDisposeScope();
        using var problem = new LinearRegressionProblem(new HeightWeightData([1f, -1f], [0f, 0f], "test", "test"), torch.CPU);
        var (loss, gradient) = problem.LossAndGradient(torch.tensor(new float[] { 1f, 2f }, [1, 2]));
        Assert.Equal([5f], loss.data<float>().ToArray());
        Assert.Equal([2f, 4f], gradient.data<float>().ToArray());
    }
}
