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
    [InlineData(31, 3)]
    [InlineData(100, 3)]
    [InlineData(9, 4)]
    [InlineData(12, 4)]
    [InlineData(1000, 10)]
    public void MinAngleDegrees_BeyondTheClosedFormsAndTable_Unknown(int vectors, int dims) =>
        Assert.Null(KnownOptima.MinAngleDegrees(vectors, dims));

    /// <summary>The 3-D table entries that have closed forms equal them to the table's 7 decimals.</summary>
    [Fact]
    public void MinAngleDegrees_TammesTable_MatchesClosedForms()
    {
        Assert.Equal(Degrees(Math.Acos(CubicRoot())), KnownOptima.MinAngleDegrees(7, 3)!.Value, 6);
        Assert.Equal(Degrees(Math.Acos(((2 * Math.Sqrt(2)) - 1) / 7)), KnownOptima.MinAngleDegrees(8, 3)!.Value, 6);
        Assert.Equal(Degrees(Math.Acos(1.0 / 3)), KnownOptima.MinAngleDegrees(9, 3)!.Value, 6);
        Assert.Equal(Degrees(Math.Atan(2)), KnownOptima.MinAngleDegrees(11, 3)!.Value, 6);
        Assert.Equal(Degrees(Math.Atan(2)), KnownOptima.MinAngleDegrees(12, 3)!.Value, 6);
        Assert.Equal(SnubCubeMinAngle(), KnownOptima.MinAngleDegrees(24, 3)!.Value, 6);
    }

    /// <summary>More points never fit at a larger separation: the table does not increase with N, and continues the closed forms.</summary>
    [Fact]
    public void MinAngleDegrees_ThreeDimensions_NeverIncreasesWithN()
    {
        var angles = Enumerable.Range(2, KnownOptima.TammesTableMax - 1).Select(n => KnownOptima.MinAngleDegrees(n, 3)!.Value).ToArray();

        Assert.All(angles.Zip(angles.Skip(1)), pair => Assert.True(pair.Second <= pair.First, $"{pair.Second} after {pair.First}"));
    }

    /// <summary>The root of 3x³ − 9x² − 3x + 1 in (0, 1) (Schütte and van der Waerden's N = 7), by bisection.</summary>
    private static double CubicRoot()
    {
        static double F(double x) => (((3 * x) - 9) * x * x) - (3 * x) + 1;
        var (low, high) = (0.0, 1.0);
        for (var i = 0; i < 200; i++)
        {
            var middle = (low + high) / 2;
            (low, high) = Math.Sign(F(middle)) == Math.Sign(F(low)) ? (middle, high) : (low, middle);
        }

        return (low + high) / 2;
    }

    /// <summary>
    /// The snub cube: even permutations of (±1, ±1/t, ±t) with an even number of plus signs and odd
    /// permutations with an odd number, t the tribonacci constant (t³ = t² + t + 1).
    /// </summary>
    private static double SnubCubeMinAngle()
    {
        var t = 1.8;
        for (var i = 0; i < 100; i++)
        {
            t -= ((t * t * t) - (t * t) - t - 1) / ((3 * t * t) - (2 * t) - 1);
        }

        double[] basis = [1, 1 / t, t];
        int[][] even = [[0, 1, 2], [1, 2, 0], [2, 0, 1]];
        int[][] odd = [[1, 0, 2], [0, 2, 1], [2, 1, 0]];
        var points = new List<double[]>();
        foreach (var (permutations, parity) in new[] { (even, 0), (odd, 1) })
        {
            foreach (var permutation in permutations)
            {
                for (var signs = 0; signs < 8; signs++)
                {
                    var sign = new[] { (signs & 1) == 0 ? 1 : -1, (signs & 2) == 0 ? 1 : -1, (signs & 4) == 0 ? 1 : -1 };
                    if (sign.Count(x => x > 0) % 2 == parity)
                    {
                        var p = permutation.Select((axis, k) => sign[k] * basis[axis]).ToArray();
                        var length = Math.Sqrt(p.Sum(x => x * x));
                        points.Add(p.Select(x => x / length).ToArray());
                    }
                }
            }
        }

        Assert.Equal(24, points.Count);
        var largest = points.SelectMany((a, i) => points.Skip(i + 1).Select(b => a.Zip(b, (x, y) => x * y).Sum())).Max();
        return Degrees(Math.Acos(largest));
    }

    private static double Degrees(double radians) => radians * 180 / Math.PI;

    [Theory]
    [InlineData(1, 3, "vectors")]
    [InlineData(3, 1, "dims")]
    public void MinAngleDegrees_TooFewVectorsOrDimensions_Throws(int vectors, int dims, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => KnownOptima.MinAngleDegrees(vectors, dims));
        Assert.Equal(parameter, error.ParamName);
    }
}
