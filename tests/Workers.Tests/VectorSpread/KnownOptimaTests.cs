using GradDescent.Workers.Experiments.VectorSpread;
using Xunit;

namespace GradDescent.Workers.Tests.VectorSpread;

public sealed class KnownOptimaTests
{
    [Theory]
    [InlineData(2, 2, 180.0)]
    [InlineData(3, 2, 120.0)]
    [InlineData(4, 2, 90.0)]
    [InlineData(20, 2, 18.0)]
    [InlineData(7, 2, 360.0 / 7)]
    public void MinAngleDegrees_TwoDimensions_EqualSpacingOnTheCircle(int vectors, int dims, double expected) =>
        Assert.Equal(expected, KnownOptima.MinAngleDegrees(vectors, dims)!.Value, 12);

    [Theory]
    [InlineData(2, 3, 180.0)]
    [InlineData(2, 50, 180.0)]
    [InlineData(3, 3, 120.0)]
    [InlineData(3, 10, 120.0)]
    [InlineData(4, 3, 109.47122063449069)]
    [InlineData(4, 4, 109.47122063449069)]
    [InlineData(5, 4, 104.47751218592994)]
    [InlineData(11, 10, 95.7391704772668)]
    public void MinAngleDegrees_AtMostDPlusOneVectors_RegularSimplex(int vectors, int dims, double expected) =>
        Assert.Equal(expected, KnownOptima.MinAngleDegrees(vectors, dims)!.Value, 9);

    [Theory]
    [InlineData(5, 3)]
    [InlineData(6, 3)]
    [InlineData(6, 4)]
    [InlineData(8, 4)]
    [InlineData(20, 10)]
    public void MinAngleDegrees_BetweenDPlusTwoAndTwoD_RightAngle(int vectors, int dims) =>
        Assert.Equal(90.0, KnownOptima.MinAngleDegrees(vectors, dims));

    [Theory]
    [InlineData(7, 3)]
    [InlineData(12, 3)]
    [InlineData(9, 4)]
    [InlineData(1000, 10)]
    public void MinAngleDegrees_MoreThanTwoDInThreeOrMoreDimensions_Unknown(int vectors, int dims) =>
        Assert.Null(KnownOptima.MinAngleDegrees(vectors, dims));

    [Theory]
    [InlineData(1, 3, "vectors")]
    [InlineData(3, 1, "dims")]
    public void MinAngleDegrees_TooFewVectorsOrDimensions_Throws(int vectors, int dims, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => KnownOptima.MinAngleDegrees(vectors, dims));
        Assert.Equal(parameter, error.ParamName);
    }
}
