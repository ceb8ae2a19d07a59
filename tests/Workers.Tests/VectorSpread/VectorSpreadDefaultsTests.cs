using GradDescent.Workers.Experiments.VectorSpread;
using Xunit;

namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>
/// <c>graddescent trial vector-spread vectors=N dims=D</c> with every other parameter at its default
/// (the energy method) ends within 0.5° of the best-known minimum angle: every N from 2 to 30 in 3-D
/// (the Tammes table) and the closed-form cases in other dimensions (regular polygons in 2-D, simplices
/// N ≤ D + 1, N up to 2D at 90°, the cross-polytope N = 2D). Each case is one trial on the CPU kernel.
/// </summary>
public sealed class VectorSpreadDefaultsTests
{
    private const double ToleranceDegrees = 0.5;

    public static TheoryData<int> ThreeDimensions() => [.. Enumerable.Range(2, KnownOptima.TammesTableMax - 1)];

    /// <summary>2-D polygons; every N ≤ 2D for D = 4, 5, 6, 8 (simplices, 90°, cross-polytopes); two larger cross-polytopes.</summary>
    public static TheoryData<int, int> ClosedForms()
    {
        var data = new TheoryData<int, int>();
        foreach (var n in new[] { 2, 3, 4, 5, 7, 12, 20, 36, 50 })
        {
            data.Add(n, 2);
        }

        foreach (var d in new[] { 4, 5, 6, 8 })
        {
            for (var n = 2; n <= 2 * d; n++)
            {
                data.Add(n, d);
            }
        }

        data.Add(20, 10);
        data.Add(40, 20);
        return data;
    }

    [Theory]
    [MemberData(nameof(ThreeDimensions))]
    public void RunFused_DefaultsInThreeDimensions_WithinHalfADegreeOfTheTammesTable(int vectors) =>
        AssertReachesOptimum(vectors, 3);

    [Theory]
    [MemberData(nameof(ClosedForms))]
    public void RunFused_DefaultsOnClosedFormCases_WithinHalfADegreeOfTheOptimum(int vectors, int dims) =>
        AssertReachesOptimum(vectors, dims);

    private static void AssertReachesOptimum(int vectors, int dims)
    {
        var parameters = SpreadTrials.Bind(("vectors", vectors), ("dims", dims));

        var outcome = SpreadTrials.RunOne(parameters, 1);

        var optimum = KnownOptima.MinAngleDegrees(vectors, dims)!.Value;
        Assert.Equal(optimum, outcome.Metrics["known_optimum_deg"]);
        Assert.True(
            outcome.Metrics["gap_deg"] <= ToleranceDegrees && outcome.Metrics["gap_deg"] >= -1e-3,
            $"N = {vectors}, D = {dims}: {outcome.Metrics["min_angle_deg"]}°, optimum {optimum}°, gap {outcome.Metrics["gap_deg"]}°");
    }
}
