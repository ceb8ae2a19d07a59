using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments;
using Xunit;

namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>A fused group computes exactly what its trials compute alone, and a seed fixes a trial.</summary>
public sealed class VectorSpreadFusionTests
{
    private const float Tolerance = 1e-4f;

    public static TheoryData<string> Rules() => [.. SpreadTrials.Rules];

    public static TheoryData<string> Methods() => [.. VectorSpreadDefinition.Methods];

    /// <summary>
    /// Three trials that differ in seed, learning rate, clipping and optimizer hyperparameters (and,
    /// for ascent, decay factor) run fused and then one by one.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rules))]
    public void RunFused_EveryRule_EachTrialEqualsRunningItAlone(string rule)
    {
        var trials = MixedTrials(rule, VectorSpreadDefinition.MinAngleVariance);
        AssertFusedEqualsAlone(trials);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void RunFused_EveryMethod_EachTrialEqualsRunningItAlone(string method)
    {
        var trials = MixedTrials(VectorSpreadDefinition.Ascent, method);
        AssertFusedEqualsAlone(trials);
    }

    [Fact]
    public void RunFused_SameSeedTwice_IdenticalResults()
    {
        var parameters = SpreadTrials.Bind(("vectors", 6), ("dims", 3), ("iterations", 25), ("method", VectorSpreadDefinition.TangentialForce));

        var first = SpreadTrials.RunOne(parameters, 42);
        var second = SpreadTrials.RunOne(parameters, 42);

        Assert.Equal(SpreadTrials.Series(first, "min_angle_deg"), SpreadTrials.Series(second, "min_angle_deg"));
        Assert.Equal(SpreadTrials.Series(first, "objective"), SpreadTrials.Series(second, "objective"));
        Assert.Equal(SpreadTrials.Vectors(first), SpreadTrials.Vectors(second));
        Assert.Equal(first.Detail.ToJsonString(), second.Detail.ToJsonString());
    }

    [Fact]
    public void RunFused_DifferentSeeds_DifferentStarts()
    {
        var parameters = SpreadTrials.Bind(("vectors", 6), ("dims", 3), ("iterations", 1));

        var outcomes = SpreadTrials.Run(new TrialInput(parameters, 1), new TrialInput(parameters, 2));

        Assert.NotEqual(SpreadTrials.Vectors(outcomes[0]), SpreadTrials.Vectors(outcomes[1]));
    }

    /// <summary>A trial's start depends on its seed only: not on its batch position or its neighbours.</summary>
    [Fact]
    public void RunFused_SeedAtAnotherBatchPosition_SameTrajectory()
    {
        var parameters = SpreadTrials.Bind(("vectors", 5), ("dims", 4), ("iterations", 10));

        var alone = SpreadTrials.RunOne(parameters, 7);
        var batch = SpreadTrials.Run(
            new TrialInput(parameters, 3), new TrialInput(parameters, 11), new TrialInput(parameters, 7), new TrialInput(parameters, -5));

        AssertSame(alone, batch[2]);
    }

    [Fact]
    public void FusionKey_PerTrialValuesDiffer_SameKey()
    {
        var a = SpreadTrials.Bind(("method", "min-angle"), ("learning_rate", 0.1), ("lr_decay", 0.5), ("clip_norm", 3.0));
        var b = SpreadTrials.Bind(("method", "min-angle"), ("learning_rate", 0.2), ("lr_decay", 0.9), ("momentum", 0.3));

        Assert.Equal(SpreadTrials.Experiment.FusionKey(a), SpreadTrials.Experiment.FusionKey(b));
    }

    /// <summary>The energy exponents are per-trial values: trials that differ only in them run fused.</summary>
    [Fact]
    public void FusionKey_EnergyExponentsDiffer_SameKey()
    {
        var a = SpreadTrials.Bind(("energy_s", 1.0), ("energy_s_final", 100.0), ("learning_rate", 0.02));
        var b = SpreadTrials.Bind(("energy_s", 6.0), ("energy_s_final", 2000.0), ("beta1", 0.8));

        Assert.Equal(SpreadTrials.Experiment.FusionKey(a), SpreadTrials.Experiment.FusionKey(b));
    }

    [Theory]
    [InlineData("vectors", 21)]
    [InlineData("dims", 3)]
    [InlineData("method", "tangential-force")]
    [InlineData("optimizer", "adam")]
    [InlineData("iterations", 10)]
    [InlineData("lr_decay_every", 7)]
    [InlineData("restarts", 4)]
    public void FusionKey_ShapeOrProgramDiffers_DifferentKey(string name, object value)
    {
        var article = SpreadTrials.Bind(("method", "min-angle"));
        var changed = name == "method" ? SpreadTrials.Bind((name, value)) : SpreadTrials.Bind(("method", "min-angle"), (name, value));

        Assert.NotEqual(SpreadTrials.Experiment.FusionKey(article), SpreadTrials.Experiment.FusionKey(changed));
    }

    /// <summary>The shared optimizers scale every trial's learning rate by one factor, so their decay is shared.</summary>
    [Fact]
    public void FusionKey_OptimizerWithDifferentDecay_DifferentKey()
    {
        var a = SpreadTrials.Bind(("optimizer", "adam"), ("lr_decay", 0.5));
        var b = SpreadTrials.Bind(("optimizer", "adam"), ("lr_decay", 0.9));

        Assert.NotEqual(SpreadTrials.Experiment.FusionKey(a), SpreadTrials.Experiment.FusionKey(b));
    }

    [Fact]
    public void RunFused_TrialsWithDifferentKeys_ThrowsNamingTrials()
    {
        var trials = new[] { new TrialInput(SpreadTrials.Bind(), 1), new TrialInput(SpreadTrials.Bind(("dims", 3)), 1) };

        var error = Assert.Throws<ArgumentException>(() => SpreadTrials.Run(trials));
        Assert.Equal("trials", error.ParamName);
    }

    private static TrialInput[] MixedTrials(string rule, string method)
    {
        var ascent = rule == VectorSpreadDefinition.Ascent;
        var energy = method == VectorSpreadDefinition.Energy;
        ParameterSet Trial(double learningRate, double decay, double exponent, params (string, object)[] extra) => SpreadTrials.Bind(
            [("vectors", 5), ("dims", 3), ("method", method), ("optimizer", rule), ("iterations", 30), ("restarts", 2),
             ("learning_rate", learningRate), ("lr_decay", ascent ? decay : 0.8), ("lr_decay_every", 7),
             .. energy ? [("energy_s", exponent), ("energy_s_final", 20 * exponent)] : Array.Empty<(string, object)>(), .. extra]);

        return
        [
            new TrialInput(Trial(0.05, 0.5, 1), 1),
            new TrialInput(Trial(0.02, 0.9, 2, ("clip_norm", 0.05), ("momentum", 0.5), ("rho", 0.8), ("beta1", 0.8), ("beta2", 0.99),
                ("epsilon", 1e-4), ("weight_decay", 0.01), ("initial_accumulator", 0.3)), 2),
            new TrialInput(Trial(0.1, 1.0, 0.5, ("clip_norm", 1.0), ("beta1", 0.95)), 3),
        ];
    }

    private static void AssertFusedEqualsAlone(TrialInput[] trials)
    {
        var fused = SpreadTrials.Run(trials);
        for (var i = 0; i < trials.Length; i++)
        {
            AssertSame(SpreadTrials.Run(trials[i])[0], fused[i]);
        }
    }

    private static void AssertSame(TrialOutcome expected, TrialOutcome actual)
    {
        Assert.Equal(expected.DivergedAtStep, actual.DivergedAtStep);
        foreach (var metric in new[] { "min_angle_deg", "objective" })
        {
            var want = SpreadTrials.Series(expected, metric);
            var got = SpreadTrials.Series(actual, metric);
            Assert.Equal(want.Length, got.Length);
            for (var step = 0; step < want.Length; step++)
            {
                Assert.True(Math.Abs(want[step] - got[step]) <= Tolerance * Math.Max(1f, Math.Abs(want[step])), $"{metric} at step {step}: {want[step]} alone, {got[step]} fused");
            }
        }

        var vectorsAlone = SpreadTrials.Vectors(expected).SelectMany(v => v).ToArray();
        var vectorsFused = SpreadTrials.Vectors(actual).SelectMany(v => v).ToArray();
        Assert.Equal(vectorsAlone.Length, vectorsFused.Length);
        Assert.All(vectorsAlone.Zip(vectorsFused), pair => Assert.Equal(pair.First, pair.Second, Tolerance));
    }
}
