using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps.Tests.Search;

public sealed class ParzenEstimatorTests
{
    private static readonly RandomDimension Unit = new("x", RandomDistribution.Uniform, 0, 1, []);

    [Fact]
    public void DefaultWeights_UnderTwentyFive_AreAllOne() =>
        Assert.Equal(Enumerable.Repeat(1.0, 24), ParzenEstimator.DefaultWeights(24));

    [Fact]
    public void DefaultWeights_Thirty_RampTheOldestFive()
    {
        // numpy: linspace(1/30, 1, num=5) followed by 25 ones.
        var weights = ParzenEstimator.DefaultWeights(30);

        Assert.Equal([1 / 30.0, 0.275, 0.5166666666666667, 0.7583333333333333, 1.0], weights.Take(5), new Tolerance(1e-15));
        Assert.Equal(Enumerable.Repeat(1.0, 25), weights.Skip(5));
    }

    [Fact]
    public void LogPdf_Continuous_IntegratesToOne()
    {
        var estimator = ParzenEstimator.Create(Unit, [0.1, 0.15, 0.8, 0.97], null);

        Assert.Equal(1.0, Integrate(estimator, 0, 1), 1e-6);
    }

    [Fact]
    public void LogPdf_LogUniform_IntegratesToOneInLogSpace()
    {
        var draw = new RandomDimension("lr", RandomDistribution.LogUniform, 1e-5, 1, []);
        var estimator = ParzenEstimator.Create(draw, [1e-3, 2e-3, 0.5], null);

        Assert.Equal(1.0, Integrate(estimator, Math.Log(1e-5), 0), 1e-6);
    }

    [Fact]
    public void LogPdf_Integer_IsAProbabilityOverTheIntegers()
    {
        var draw = new RandomDimension("n", RandomDistribution.IntUniform, 3, 9, []);
        var estimator = ParzenEstimator.Create(draw, [4, 4, 8], null);

        var total = Enumerable.Range(3, 7).Sum(n => Math.Exp(estimator.LogPdf(n)));

        Assert.Equal(1.0, total, 1e-12);
        Assert.True(estimator.LogPdf(4) > estimator.LogPdf(6));
    }

    [Fact]
    public void LogPdf_Choice_GivesObservedChoicesMoreMass()
    {
        var draw = new RandomDimension("optimizer", RandomDistribution.Choice, 0, 0, ["sgd", "adam", "rmsprop"]);
        var estimator = ParzenEstimator.Create(draw, [1, 1, 0], null);

        var p = Enumerable.Range(0, 3).Select(c => Math.Exp(estimator.LogPdf(c))).ToArray();

        // Kernels: each observation 1 + 1/4 on every choice (normalised by 1.75), plus a uniform prior; weights 1/4 each.
        var observed = (1 + 0.25) / 1.75;
        var other = 0.25 / 1.75;
        Assert.Equal((observed + observed + other + (1 / 3.0)) / 4, p[1], 1e-12);
        Assert.Equal((other + other + observed + (1 / 3.0)) / 4, p[0], 1e-12);
        Assert.Equal(1.0, p.Sum(), 1e-12);
    }

    [Fact]
    public void Bandwidths_FollowTheNeighbourGapRule()
    {
        // Observations 0.2 and 0.6 in [0, 1] plus the prior at 0.5; sorted with the ends: 0, 0.2, 0.5, 0.6, 1.
        // 0.2: its inner gap 0.3 (outermost kernel); 0.6: inner gap 0.1, clipped up to 1/min(100, 4) = 0.25.
        // Prior: the range, 1. So l(x) is a mixture of N(0.2, 0.3), N(0.6, 0.25), N(0.5, 1) truncated to [0, 1].
        var estimator = ParzenEstimator.Create(Unit, [0.2, 0.6], null);

        var expected = (Truncated(0.35, 0.2, 0.3) + Truncated(0.35, 0.6, 0.25) + Truncated(0.35, 0.5, 1)) / 3;
        Assert.Equal(Math.Log(expected), estimator.LogPdf(0.35), 1e-12);
    }

    [Fact]
    public void LogScore_MatchesOptuna31sParzenEstimator()
    {
        // Optuna 3.1: _ParzenEstimator({'x': [0.2, 0.6, -3, 4.1, 4.2]}, FloatDistribution(-5, 10), defaults).log_pdf(...)
        // and the same for IntDistribution(1, 30) with [2, 2, 7, 30].
        var real = ParzenEstimator.Create(new RandomDimension("x", RandomDistribution.Uniform, -5, 10, []), [0.2, 0.6, -3.0, 4.1, 4.2], null);
        var integer = ParzenEstimator.Create(new RandomDimension("n", RandomDistribution.IntUniform, 1, 30, []), [2, 2, 7, 30], null);

        Assert.Equal(
            [-1.27014549, -0.95608757, -0.94565763, -1.01297012, -1.77137062],
            new[] { -4.0, 0.0, 0.35, 4.15, 9.0 }.Select(real.LogScore), new Tolerance(1e-8));
        Assert.Equal(
            [-2.69299881, -2.66273228, -2.74994229, -4.03667871],
            new[] { 1.0, 2, 5, 30 }.Select(integer.LogScore), new Tolerance(1e-8));
    }

    [Fact]
    public void LogScore_IsLogPdfWithoutTheBandwidthFactor()
    {
        // Without observations only the prior kernel is left, as wide as the range: σ = 2 on [0, 2].
        var estimator = ParzenEstimator.Create(new RandomDimension("x", RandomDistribution.Uniform, 0, 2, []), [], null);

        Assert.Equal(estimator.LogScore(0.3) - Math.Log(2), estimator.LogPdf(0.3), 1e-15);
    }

    [Fact]
    public void Sample_StaysInRange_AndIsDeterministic()
    {
        var draw = new RandomDimension("n", RandomDistribution.IntUniform, 1, 5, []);
        var estimator = ParzenEstimator.Create(draw, [1, 5, 5], null);

        var first = estimator.Sample(new SearchRandom(42), 200);
        var second = estimator.Sample(new SearchRandom(42), 200);

        Assert.Equal(first, second);
        Assert.All(first, v => Assert.True(v is >= 1 and <= 5 && v == Math.Round(v)));
        Assert.Equal(5, first.Distinct().Count());
    }

    [Fact]
    public void Sample_FollowsTheDensity()
    {
        // Observations near 0.9: most draws land in the upper half.
        var estimator = ParzenEstimator.Create(Unit, [0.88, 0.9, 0.92, 0.95], null);

        var draws = estimator.Sample(new SearchRandom(7), 4000);

        Assert.InRange(draws.Count(d => d > 0.5) / 4000.0, 0.75, 0.95);
    }

    private static double Truncated(double x, double mu, double sigma) =>
        Math.Exp(Gaussian.LogPdf((x - mu) / sigma)) / sigma / (Gaussian.Cdf((1 - mu) / sigma) - Gaussian.Cdf((0 - mu) / sigma));

    private static double Integrate(ParzenEstimator estimator, double low, double high)
    {
        const int steps = 20000;
        var h = (high - low) / steps;
        var sum = 0.0;
        for (var i = 0; i < steps; i++)
        {
            sum += Math.Exp(estimator.LogPdf(low + ((i + 0.5) * h))) * h;
        }

        return sum;
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
