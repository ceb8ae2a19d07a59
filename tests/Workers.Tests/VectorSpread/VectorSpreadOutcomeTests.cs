using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Workers.Experiments;
using Xunit;

namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>What a trial reports: metrics, per-step series, the detail document, and the update rule's knobs.</summary>
public sealed class VectorSpreadOutcomeTests
{
    [Fact]
    public void RunFused_CompletedTrial_DetailHasExactlyTheDocumentedFields()
    {
        var outcome = SpreadTrials.RunOne(SpreadTrials.Bind(("vectors", 5), ("dims", 3), ("method", "min-angle"), ("iterations", 12)), 4);

        Assert.Equal(
            ["gap_deg", "history", "known_optimum_deg", "method", "min_angle_deg", "optimizer", "restart", "vectors"],
            outcome.ToDocument().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("min-angle", outcome.Detail["method"]!.GetValue<string>());
        Assert.Equal("ascent", outcome.Detail["optimizer"]!.GetValue<string>());
        Assert.Equal(90.0, outcome.Detail["known_optimum_deg"]!.GetValue<double>());
        Assert.Equal(outcome.Metrics["gap_deg"], outcome.Detail["gap_deg"]!.GetValue<double>());
        Assert.Equal(0, outcome.Detail["restart"]!.GetValue<int>());
        Assert.Equal(outcome.Metrics["min_angle_deg"], outcome.Detail["min_angle_deg"]!.GetValue<float>());
        Assert.Equal(TrialStatus.Completed, outcome.Status);
    }

    [Fact]
    public void RunFused_CompletedTrial_HistoryHasEveryStepAndEndsAtTheFinalMetrics()
    {
        var outcome = SpreadTrials.RunOne(SpreadTrials.Bind(("vectors", 5), ("dims", 3), ("iterations", 12)), 4);

        var history = SpreadTrials.History(outcome);
        var angles = SpreadTrials.Series(outcome, "min_angle_deg");
        var objectives = SpreadTrials.Series(outcome, "objective");
        Assert.Equal(["min_angle_deg", "objective"], outcome.History.Select(s => s.Metric));
        Assert.Equal(12, history.Count);
        Assert.Equal(12, angles.Length);
        Assert.Equal(12, objectives.Length);
        for (var step = 0; step < 12; step++)
        {
            Assert.Equal(step, history[step]!["step"]!.GetValue<int>());
            Assert.Equal(angles[step], history[step]!["min_angle_deg"]!.GetValue<float>());
            Assert.Equal(objectives[step], history[step]!["objective"]!.GetValue<float>());
        }

        Assert.Equal(angles[^1], (float)outcome.Metrics["min_angle_deg"]);
        Assert.Equal(objectives[^1], (float)outcome.Metrics["objective"]);
    }

    [Fact]
    public void RunFused_FinalVectors_AreUnitAndGiveTheReportedMinAngle()
    {
        var outcome = SpreadTrials.RunOne(SpreadTrials.Bind(("vectors", 7), ("dims", 4), ("iterations", 20)), 9);

        var vectors = SpreadTrials.Vectors(outcome);
        Assert.Equal(7, vectors.Length);
        Assert.All(vectors, v =>
        {
            Assert.Equal(4, v.Length);
            Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 5);
        });
        Assert.Equal(ReferenceSpread.MinAngleDegrees(vectors), outcome.Metrics["min_angle_deg"], 2);
    }

    /// <summary>The reported objective matches a double-precision evaluation of the article's formula on the final vectors.</summary>
    [Theory]
    [InlineData("min-angle", 1e-5)]
    [InlineData("min-angle-variance", 1e-5)]
    [InlineData("tangential-force", 1e-3)]
    public void RunFused_EveryMethod_ObjectiveMatchesReferenceFormula(string method, double relativeTolerance)
    {
        var outcome = SpreadTrials.RunOne(SpreadTrials.Bind(("vectors", 6), ("dims", 3), ("method", method), ("iterations", 15)), 5);

        var expected = ReferenceSpread.Objective(method, SpreadTrials.Vectors(outcome));
        var actual = outcome.Metrics["objective"];
        Assert.True(Math.Abs(expected - actual) <= relativeTolerance * Math.Abs(expected), $"objective {actual}, reference {expected}");
    }

    [Fact]
    public void RunFused_UnknownOptimum_OmitsOptimumMetricsAndWritesNull()
    {
        var outcome = SpreadTrials.RunOne(SpreadTrials.Bind(("vectors", 9), ("dims", 4), ("iterations", 3)), 1);

        Assert.False(outcome.Metrics.ContainsKey("known_optimum_deg"));
        Assert.False(outcome.Metrics.ContainsKey("gap_deg"));
        Assert.True(outcome.Detail.ContainsKey("known_optimum_deg"));
        Assert.Null(outcome.Detail["known_optimum_deg"]);
        Assert.Null(outcome.Detail["gap_deg"]);
    }

    /// <summary>
    /// Clipping is per trial: one update moves a clipped trial's vectors by at most lr·clip in total
    /// (the gradient is tangential, and renormalising a unit vector plus a tangential step only
    /// shortens the step), so no pair's angle changes by more than 2·lr·clip; its unclipped twin moves more.
    /// </summary>
    [Fact]
    public void RunFused_ClipNormOnOneTrial_BoundsOnlyThatTrialsStep()
    {
        const double learningRate = 1.0;
        const double clip = 1e-3;
        var clipped = SpreadTrials.Bind(("method", "min-angle"), ("vectors", 4), ("dims", 3), ("learning_rate", learningRate), ("clip_norm", clip), ("iterations", 2));
        var unclipped = SpreadTrials.Bind(("method", "min-angle"), ("vectors", 4), ("dims", 3), ("learning_rate", learningRate), ("iterations", 2));

        var outcomes = SpreadTrials.Run(new TrialInput(clipped, 3), new TrialInput(unclipped, 3));

        var bound = 2 * learningRate * clip * 180 / Math.PI;
        var clippedAngles = SpreadTrials.Series(outcomes[0], "min_angle_deg");
        var unclippedAngles = SpreadTrials.Series(outcomes[1], "min_angle_deg");
        Assert.InRange(Math.Abs(clippedAngles[1] - clippedAngles[0]), 1e-6, bound + 1e-4);
        Assert.True(Math.Abs(unclippedAngles[1] - unclippedAngles[0]) > 10 * bound);
    }

    /// <summary>A decay factor near zero every iteration stops a trial after its first update; its neighbour keeps moving.</summary>
    [Fact]
    public void RunFused_TinyDecayOnOneTrial_FreezesOnlyThatTrial()
    {
        var frozen = SpreadTrials.Bind(("method", "min-angle"), ("vectors", 4), ("dims", 3), ("learning_rate", 0.1), ("lr_decay", 1e-9), ("lr_decay_every", 1), ("iterations", 6));
        var moving = SpreadTrials.Bind(("method", "min-angle"), ("vectors", 4), ("dims", 3), ("learning_rate", 0.1), ("lr_decay", 1.0), ("lr_decay_every", 1), ("iterations", 6));

        var outcomes = SpreadTrials.Run(new TrialInput(frozen, 8), new TrialInput(moving, 8));

        var frozenAngles = SpreadTrials.Series(outcomes[0], "min_angle_deg");
        var movingAngles = SpreadTrials.Series(outcomes[1], "min_angle_deg");
        Assert.Equal(movingAngles[0], frozenAngles[0]);
        Assert.All(frozenAngles.Skip(1), angle => Assert.Equal(frozenAngles[0], angle, 3));
        Assert.True(movingAngles[^1] - movingAngles[0] > 0.1);
    }

    /// <summary>
    /// A learning rate of 1e38 overflows the vectors' norm at the first update: that trial diverges at
    /// step 0, keeps its (finite) starting vectors and an empty history; its fused neighbour is unaffected.
    /// </summary>
    [Fact]
    public void RunFused_OverflowingLearningRate_DivergesAtStepZeroWithoutTouchingNeighbour()
    {
        var exploding = SpreadTrials.Bind(("method", "min-angle"), ("vectors", 4), ("dims", 3), ("learning_rate", 1e38), ("iterations", 5));
        var healthy = SpreadTrials.Bind(("method", "min-angle"), ("vectors", 4), ("dims", 3), ("learning_rate", 0.05), ("iterations", 5));

        var outcomes = SpreadTrials.Run(new TrialInput(exploding, 2), new TrialInput(healthy, 2));
        var healthyAlone = SpreadTrials.RunOne(healthy, 2);

        Assert.Equal(0, outcomes[0].DivergedAtStep);
        Assert.Equal(TrialStatus.Diverged, outcomes[0].Status);
        Assert.Empty(SpreadTrials.Series(outcomes[0], "min_angle_deg"));
        Assert.Empty(SpreadTrials.History(outcomes[0]));
        Assert.All(SpreadTrials.Vectors(outcomes[0]).SelectMany(v => v), x => Assert.True(float.IsFinite(x)));
        Assert.True(double.IsFinite(outcomes[0].Metrics["min_angle_deg"]));
        Assert.Null(outcomes[1].DivergedAtStep);
        Assert.Equal(SpreadTrials.Series(healthyAlone, "min_angle_deg"), SpreadTrials.Series(outcomes[1], "min_angle_deg"));
    }

    [Fact]
    public void RunFused_CancelledToken_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var trials = new[] { new TrialInput(SpreadTrials.Bind(("iterations", 5)), 1) };

        Assert.ThrowsAny<OperationCanceledException>(
            () => SpreadTrials.Experiment.RunFused(trials, TorchSharp.torch.CPU, cancellation.Token));
    }

    [Fact]
    public void RunFused_NoTrials_ReturnsEmpty() =>
        Assert.Empty(SpreadTrials.Run());

    [Fact]
    public void Definition_IsTheCatalogsVectorSpread() =>
        Assert.Same(ExperimentCatalog.Get("vector-spread"), SpreadTrials.Experiment.Definition);
}
