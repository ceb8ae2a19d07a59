using GradDescent.Workers.Experiments.LinearRegression;
using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests.LinearRegression;

public sealed class LinearRegressionProblemTests
{
    private static readonly float[] Thetas = [6f, -180f, 5f, -230f, 0.5f, 10f, 7.5f, -300f, 6.1150126f, -227.70946f];

    [Fact]
    public void Gradient_SyntheticData_MatchesAutogradOfTheMeanOverTheData()
    {
        using var scope = torch.NewDisposeScope();
        using var problem = new LinearRegressionProblem(SyntheticHeightWeight.Data, torch.CPU);
        var theta = torch.tensor(Thetas, [5, 2]);

        var actual = problem.Gradient(theta).data<float>().ToArray();

        var leaf = torch.tensor(Thetas.Select(x => (double)x).ToArray(), [5, 2], dtype: torch.ScalarType.Float64).requires_grad_(true);
        var (heights, weights) = DataAsDouble();
        var residual = leaf.select(1, 0).unsqueeze(1) * heights + leaf.select(1, 1).unsqueeze(1) - weights;
        residual.square().mean([1]).sum().backward();
        var expected = leaf.grad!.data<double>().ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            // float32 rounding of the moments and of theta - θ*: well inside 0.01 + 1e-5 relative.
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 0.01 + (1e-5 * Math.Abs(expected[i])), $"gradient {i}: autograd {expected[i]}, analytic {actual[i]}");
        }
    }

    [Fact]
    public void Loss_SyntheticData_EqualsTheMeanOverTheData()
    {
        using var scope = torch.NewDisposeScope();
        using var problem = new LinearRegressionProblem(SyntheticHeightWeight.Data, torch.CPU);
        var theta = torch.tensor(Thetas, [5, 2]);
        var quadratic = problem.Loss(theta).data<float>().ToArray();
        var direct = problem.DirectLoss(theta).data<float>().ToArray();
        var (heights, weights) = DataAsDouble();
        for (var b = 0; b < 5; b++)
        {
            double exact = 0;
            for (var i = 0; i < heights.shape[0]; i++)
            {
                var r = (Thetas[2 * b] * heights[i].item<double>()) + Thetas[(2 * b) + 1] - weights[i].item<double>();
                exact += r * r;
            }

            exact /= heights.shape[0];
            Assert.True(Math.Abs(quadratic[b] - exact) <= 1e-5 * exact, $"theta {b}: quadratic {quadratic[b]}, double {exact}");
            Assert.True(Math.Abs(direct[b] - exact) <= 1e-4 * exact, $"theta {b}: direct {direct[b]}, double {exact}");
        }
    }

    [Fact]
    public void LossAndGradient_TwoPoints_MatchHandComputation()
    {
        // Points (1, 0) and (-1, 0); at slope 1, intercept 2 the residuals are 3 and 1:
        // loss = (9 + 1) / 2 = 5, dslope = 2 * (3*1 + 1*(-1)) / 2 = 2, dintercept = 2 * (3 + 1) / 2 = 4.
        using var scope = torch.NewDisposeScope();
        using var problem = new LinearRegressionProblem(new HeightWeightData([1f, -1f], [0f, 0f], "test", "test"), torch.CPU);
        var theta = torch.tensor(new float[] { 1f, 2f }, [1, 2]);
        Assert.Equal([5f], problem.Loss(theta).data<float>().ToArray());
        Assert.Equal([5f], problem.DirectLoss(theta).data<float>().ToArray());
        Assert.Equal([2f, 4f], problem.Gradient(theta).data<float>().ToArray());
    }

    private static (torch.Tensor Heights, torch.Tensor Weights) DataAsDouble()
    {
        var data = SyntheticHeightWeight.Data;
        return (torch.tensor(data.Heights.Select(h => (double)h).ToArray()), torch.tensor(data.Weights.Select(w => (double)w).ToArray()));
    }
}
