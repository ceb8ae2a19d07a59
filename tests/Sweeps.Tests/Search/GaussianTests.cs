using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps.Tests.Search;

public sealed class GaussianTests
{
    [Theory]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(1.9, 0.9927904292352575)]
    [InlineData(-1.0, -0.8427007929497149)]
    [InlineData(0.0, 0.0)]
    public void Erf_KnownValues_MatchToFullPrecision(double x, double expected) =>
        Assert.Equal(expected, Gaussian.Erf(x), 1e-15);

    [Theory]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(2.0, 0.004677734981047265)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(5.0, 1.5374597944280351e-12)]
    [InlineData(10.0, 2.088487583762545e-45)]
    public void Erfc_KnownValues_MatchToRelativePrecision(double x, double expected) =>
        Assert.Equal(1.0, Gaussian.Erfc(x) / expected, 1e-13);

    [Theory]
    [InlineData(-1.0, -1.8410216450092634)]
    [InlineData(-10.0, -53.23128515051247)]
    [InlineData(-40.0, -804.6084420137538)]
    [InlineData(-100.0, -5005.524208694205)]
    [InlineData(0.0, -0.6931471805599453)]
    public void LogCdf_FarIntoTheLowerTail_StaysAccurate(double z, double expected) =>
        Assert.Equal(1.0, Gaussian.LogCdf(z) / expected, 1e-13);

    [Fact]
    public void LogCdf_UpperTail_KeepsTheTinyComplement() =>
        // log Φ(10) = log(1 − 7.62e-24) ≈ −7.62e-24, which log(Φ(10)) would round to 0.
        Assert.Equal(-7.619853024160593e-24, Gaussian.LogCdf(10), 1e-36);

    [Theory]
    [InlineData(-1.0, 1.0)]
    [InlineData(-3.0, -2.0)]
    [InlineData(2.0, 6.0)]
    [InlineData(-0.5, 30.0)]
    public void LogMass_Interval_EqualsTheCdfDifference(double a, double b) =>
        Assert.Equal(Math.Log(Gaussian.Cdf(b) - Gaussian.Cdf(a)), Gaussian.LogMass(a, b), 1e-12);

    [Theory]
    [InlineData(0.0, -1.0, 1.0)]
    [InlineData(0.3, -2.0, 0.5)]
    [InlineData(0.99, 0.0, 3.0)]
    [InlineData(0.5, -0.2, 40.0)]
    [InlineData(1e-9, -5.0, 5.0)]
    [InlineData(0.75, -30.0, -0.1)]
    public void TruncatedQuantile_InvertsTheTruncatedCdf(double q, double a, double b)
    {
        var x = Gaussian.TruncatedQuantile(q, a, b);

        Assert.InRange(x, a, b);
        var reached = (Gaussian.Cdf(x) - Gaussian.Cdf(a)) / (Gaussian.Cdf(b) - Gaussian.Cdf(a));
        Assert.Equal(q, reached, 1e-10);
    }

    [Fact]
    public void TruncatedQuantile_Ends_AreTheBounds()
    {
        Assert.Equal(-1.5, Gaussian.TruncatedQuantile(0, -1.5, 2));
        Assert.Equal(2, Gaussian.TruncatedQuantile(1, -1.5, 2));
    }
}
