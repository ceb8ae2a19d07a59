using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.VectorSpread;
using Xunit;

namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>
/// The CPU kernel (hand-written gradients, one lane per SIMD element) computes what the tensor program
/// (autograd) computes: every step's minimum angle and objective and the final vectors, to float32
/// tolerance over runs short enough that rounding differences do not grow into different paths.
/// </summary>
public sealed class KernelEqualsTensorTests
{
    private const float Tolerance = 2e-4f;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in new[] { VectorSpreadDefinition.TangentialForce, VectorSpreadDefinition.Energy })
        {
            data.Add(method, VectorSpreadDefinition.Ascent);
            data.Add(method, "adam");
        }

        return data;
    }

    /// <summary>
    /// Eleven trials (more than one SIMD width of lanes, so one group is partly padding) that differ in
    /// seed, learning rate, decay, clipping, Adam's hyperparameters and energy exponents, two restarts each.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_KernelAndTensorProgram_SameSeriesAndVectors(string method, string optimizer)
    {
        var trials = Enumerable.Range(0, 11).Select(i => new TrialInput(Trial(method, optimizer, i), 100 + i)).ToArray();

        var tensor = SpreadTrials.RunWith(VectorSpreadExperiment.Program.Tensor, null, trials);
        var kernel = SpreadTrials.RunWith(VectorSpreadExperiment.Program.Kernel, null, trials);

        for (var i = 0; i < trials.Length; i++)
        {
            AssertClose(tensor[i], kernel[i], $"trial {i}");
        }
    }

    /// <summary>
    /// Vectors that start exactly on top of each other (two coincident pairs) go through the kick in both
    /// programs alike (ten steps: the kicks are large, so rounding differences grow fast after).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_CoincidentStart_KernelAndTensorProgramAgree(string method, string optimizer)
    {
        var parameters = SpreadTrials.Bind(
            ("vectors", 5), ("dims", 3), ("method", method), ("optimizer", optimizer), ("iterations", 10), ("restarts", 1));
        float[] start = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1];

        var tensor = SpreadTrials.RunWith(VectorSpreadExperiment.Program.Tensor, start, new TrialInput(parameters, 1));
        var kernel = SpreadTrials.RunWith(VectorSpreadExperiment.Program.Kernel, start, new TrialInput(parameters, 1));

        AssertClose(tensor[0], kernel[0], "coincident start");
    }

    private static ParameterSet Trial(string method, string optimizer, int i)
    {
        List<(string, object)> values =
        [
            ("vectors", 7), ("dims", 3), ("method", method), ("optimizer", optimizer), ("iterations", 25),
            ("restarts", 2), ("lr_decay_every", 6), ("learning_rate", optimizer == "adam" ? 0.01 + (0.002 * i) : 0.002 + (0.0005 * i)),
        ];
        if (optimizer == VectorSpreadDefinition.Ascent)
        {
            values.Add(("lr_decay", 0.5 + (0.04 * i)));
        }
        else
        {
            values.Add(("lr_decay", 0.9));
            values.Add(("beta1", 0.8 + (0.01 * i)));
            values.Add(("beta2", 0.99));
            values.Add(("epsilon", 1e-6));
        }

        if (i % 3 == 0)
        {
            values.Add(("clip_norm", 0.5 + i));
        }

        if (method == VectorSpreadDefinition.Energy)
        {
            values.Add(("energy_s", 1.0 + i));
            values.Add(("energy_s_final", 50.0 + (10 * i)));
        }

        return SpreadTrials.Bind([.. values]);
    }

    private static void AssertClose(TrialOutcome expected, TrialOutcome actual, string what)
    {
        Assert.Equal(expected.DivergedAtStep, actual.DivergedAtStep);
        Assert.Equal(expected.Detail["restart"]!.GetValue<int>(), actual.Detail["restart"]!.GetValue<int>());
        foreach (var metric in new[] { "min_angle_deg", "objective" })
        {
            var want = SpreadTrials.Series(expected, metric);
            var got = SpreadTrials.Series(actual, metric);
            Assert.Equal(want.Length, got.Length);
            for (var step = 0; step < want.Length; step++)
            {
                Assert.True(
                    Math.Abs(want[step] - got[step]) <= Tolerance * Math.Max(1f, Math.Abs(want[step])),
                    $"{what}: {metric} at step {step}: {want[step]} tensor, {got[step]} kernel");
            }
        }

        var vectorsTensor = SpreadTrials.Vectors(expected).SelectMany(v => v).ToArray();
        var vectorsKernel = SpreadTrials.Vectors(actual).SelectMany(v => v).ToArray();
        Assert.All(vectorsTensor.Zip(vectorsKernel), pair => Assert.Equal(pair.First, pair.Second, Tolerance));
    }
}
