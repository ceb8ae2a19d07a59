using GradDescent.Workers.Experiments.LinearRegression;
using Xunit;

namespace GradDescent.Workers.Tests.LinearRegression;

public sealed class LeastSquaresSolutionTests
{
    [Fact]
    public void Fit_PointsOnALine_ReturnsTheLineWithZeroError()
    {
        // y = 2x + 1 exactly.
        var fit = LeastSquaresSolution.Fit([0f, 1f, 2f, 3f, 4f], [1f, 3f, 5f, 7f, 9f]);
        Assert.Equal(2.0, fit.Slope, 12);
        Assert.Equal(1.0, fit.Intercept, 12);
        Assert.Equal(0.0, fit.Mse, 12);
    }

    [Fact]
    public void Fit_NoisyPoints_MatchesHandComputation()
    {
        // x̄ = 2.5, ȳ = 3.5; Sxy = 2.25 + 0.25 + 0.75 + 0.75 = 4; Sxx = 5 → slope 0.8, intercept 1.5.
        // Fitted 2.3, 3.1, 3.9, 4.7; residuals -0.3, -0.1, 1.1, -0.7 → squares sum 1.8 → mse 0.45.
        var fit = LeastSquaresSolution.Fit([1f, 2f, 3f, 4f], [2f, 3f, 5f, 4f]);
        Assert.Equal(0.8, fit.Slope, 12);
        Assert.Equal(1.5, fit.Intercept, 12);
        Assert.Equal(0.45, fit.Mse, 12);
    }

    [Fact]
    public void Fit_AllXEqual_ThrowsSlopeUndefined()
    {
        var error = Assert.Throws<ArgumentException>(() => LeastSquaresSolution.Fit([3f, 3f, 3f], [1f, 2f, 3f]));
        Assert.Contains("slope is undefined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntheticSample_HasTheAdvertisedShape()
    {
        var data = SyntheticHeightWeight.Data;
        Assert.Equal(150, data.Count);
        Assert.Equal("synthetic: 150 adult men (deterministic sample)", data.Source);
        var meanHeight = data.Heights.Average(h => (double)h);
        Assert.InRange(meanHeight, 68.0, 70.0);
        Assert.InRange(data.Exact.Slope, 5.0, 7.0);
        Assert.InRange(data.Exact.Intercept, -290.0, -150.0);
        Assert.InRange(data.Exact.Mse, 60.0, 150.0);
    }
}
