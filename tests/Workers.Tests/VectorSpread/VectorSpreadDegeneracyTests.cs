using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.VectorSpread;
using Xunit;

namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>
/// Coincident vectors are not an equilibrium of any objective: a start where vectors sit exactly on
/// (or within 1e-6 of) each other spreads out under every method's defaults, in both programs, and
/// the article's tangential-force run no longer collapses to 0°.
/// </summary>
public sealed class VectorSpreadDegeneracyTests
{
    /// <summary>Every method in the tensor program, and the kernel's methods in the kernel (kernel = true).</summary>
    public static TheoryData<string, bool> MethodsAndPrograms()
    {
        var data = new TheoryData<string, bool>();
        foreach (var method in VectorSpreadDefinition.Methods)
        {
            data.Add(method, false);
            if (method is VectorSpreadDefinition.TangentialForce or VectorSpreadDefinition.Energy)
            {
                data.Add(method, true);
            }
        }

        return data;
    }

    /// <summary>Six vectors in 3-D, all equal: each method's defaults spread them (the optimum is 90°).</summary>
    [Theory]
    [MemberData(nameof(MethodsAndPrograms))]
    public void Run_AllVectorsCoincident_SpreadsOut(string method, bool kernel)
    {
        var parameters = Defaults(method, kernel, vectors: 6, dims: 3);
        var start = Enumerable.Repeat(new float[] { 0.6f, 0, 0.8f }, 6 * Restarts(parameters)).SelectMany(v => v).ToArray();

        var outcome = SpreadTrials.RunWith(Program(kernel), start, new TrialInput(parameters, 1))[0];

        Assert.Null(outcome.DivergedAtStep);
        Assert.True(outcome.Metrics["min_angle_deg"] > MinimumAfterCollapse(method).SixIn3D, $"{method}: {outcome.Metrics["min_angle_deg"]}°");
    }

    /// <summary>Twenty vectors in 2-D in ten pairs 1e-6 apart (well inside the kick radius): they separate.</summary>
    [Theory]
    [MemberData(nameof(MethodsAndPrograms))]
    public void Run_PairsWithinAMicroradian_SpreadsOut(string method, bool kernel)
    {
        var parameters = Defaults(method, kernel, vectors: 20, dims: 2);
        var start = new List<float>();
        for (var copy = 0; copy < Restarts(parameters); copy++)
        {
            for (var i = 0; i < 20; i++)
            {
                var angle = (2 * Math.PI * (i / 2) / 10) + (i % 2 * 1e-6);
                start.AddRange([(float)Math.Cos(angle), (float)Math.Sin(angle)]);
            }
        }

        var outcome = SpreadTrials.RunWith(Program(kernel), [.. start], new TrialInput(parameters, 1))[0];

        Assert.Null(outcome.DivergedAtStep);
        Assert.True(outcome.Metrics["min_angle_deg"] > MinimumAfterCollapse(method).TwentyIn2D, $"{method}: {outcome.Metrics["min_angle_deg"]}°");
    }

    /// <summary>
    /// The run of issue #12: the article's tangential-force settings (now the method's defaults) on 20
    /// vectors in 2-D with seed 1 used to end at 0°; it reaches the article's 16.5–17.3° (optimum 18°).
    /// </summary>
    [Fact]
    public void RunFused_ArticleTangentialForceSeedOne_DoesNotCollapse()
    {
        var parameters = SpreadTrials.Bind(("vectors", 20), ("dims", 2), ("method", VectorSpreadDefinition.TangentialForce));

        var outcome = SpreadTrials.RunOne(parameters, 1);

        Assert.InRange(outcome.Metrics["min_angle_deg"], 16.0, 18.0);
    }

    /// <summary>
    /// Each method's defaults; in the tensor program (slow on the CPU) the article's 5,000 iterations of
    /// the angle objectives are cut to 1,500 and energy runs 4 restarts instead of 16.
    /// </summary>
    private static ParameterSet Defaults(string method, bool kernel, int vectors, int dims)
    {
        List<(string, object)> values = [("vectors", vectors), ("dims", dims), ("method", method)];
        if (method is VectorSpreadDefinition.MinAngle or VectorSpreadDefinition.MinAngleVariance)
        {
            values.Add(("iterations", 1500));
        }
        else if (method == VectorSpreadDefinition.Energy && !kernel)
        {
            values.Add(("restarts", 4));
        }

        return SpreadTrials.Bind([.. values]);
    }

    private static VectorSpreadExperiment.Program Program(bool kernel) =>
        kernel ? VectorSpreadExperiment.Program.Kernel : VectorSpreadExperiment.Program.Tensor;

    private static int Restarts(ParameterSet parameters) => parameters.GetInt("restarts");

    /// <summary>
    /// What each method's default run reaches from these starts (optima 90° and 18°), with a margin:
    /// energy finds the optimum; the article's objectives end near it (they measured 68–71° and
    /// 17.2–17.6° here), not at 0°.
    /// </summary>
    private static (double SixIn3D, double TwentyIn2D) MinimumAfterCollapse(string method) =>
        method == VectorSpreadDefinition.Energy ? (89.5, 17.9) : (60, 15);
}
