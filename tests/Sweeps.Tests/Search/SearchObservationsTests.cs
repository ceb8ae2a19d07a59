using System.Collections.Immutable;
using GradDescent.Abstractions.Trials;
using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps.Tests.Search;

public sealed class SearchObservationsTests
{
    private static readonly SweepSpec Spec = SearchHarness.Parse("""
        name: observe
        experiment: linear-regression
        parameters: {iterations: 6}
        search:
          algorithm: random
          trials: 4
          space:
            optimizer: {choice: [sgd, momentum]}
            momentum: {uniform: [0.0, 0.99], when: {optimizer: [momentum]}}
        early_stopping: {algorithm: asha, metric_step: 2, min_iterations: 2}
        """);

    private static readonly SearchDriver Driver = new(Spec);

    [Fact]
    public void FromResult_Completed_ReadsTheObjectiveAndTheEvaluations()
    {
        var trial = Driver.GetTrial(0);
        var result = SearchHarness.Result(trial, TrialStatus.Completed, Metrics(("mse", 2.5)), new StepSeries("loss", [9, 8, 7, 6, 5, 4]));

        var observation = SearchObservations.FromResult(result, Driver.Space, Spec.Search!);

        Assert.Equal(ObservationKind.Completed, observation.Kind);
        Assert.Equal([2.5], observation.Values.ToArray());
        Assert.Equal([8.0, 6, 4], observation.Evaluations.ToArray());
        Assert.True(observation.Point.SameAs(Driver.Space.Encode(trial.Parameters.Values)));
    }

    [Fact]
    public void FromResult_Pruned_TakesTheLastStepAndWhereItStopped()
    {
        var result = SearchHarness.Result(Driver.GetTrial(1), TrialStatus.Pruned, Metrics(("mse", 7)), new StepSeries("loss", [9, 8, 7, 6]));

        var observation = SearchObservations.FromResult(result, Driver.Space, Spec.Search!);

        Assert.Equal((ObservationKind.Pruned, 4, 6.0), (observation.Kind, observation.PrunedAt, observation.Values[0]));
        Assert.Equal([8.0, 6], observation.Evaluations.ToArray());
    }

    [Theory]
    [InlineData(TrialStatus.Diverged, ObservationKind.Diverged)]
    [InlineData(TrialStatus.Failed, ObservationKind.Failed)]
    public void FromResult_DivergedAndFailed_CarryNoValues(TrialStatus status, ObservationKind kind)
    {
        var observation = SearchObservations.FromResult(SearchHarness.Result(Driver.GetTrial(2), status, Metrics()), Driver.Space, Spec.Search!);

        Assert.Equal(kind, observation.Kind);
        Assert.Empty(observation.Values);
        Assert.Equal(kind != ObservationKind.Failed, observation.Informs);
    }

    [Fact]
    public void FromResult_MissingObjective_IsUninformative_NonFiniteIsWorst()
    {
        var missing = SearchObservations.FromResult(SearchHarness.Result(Driver.GetTrial(0), TrialStatus.Completed, Metrics(("loss", 1))), Driver.Space, Spec.Search!);
        var infinite = SearchObservations.FromResult(SearchHarness.Result(Driver.GetTrial(0), TrialStatus.Completed, Metrics(("mse", double.PositiveInfinity))), Driver.Space, Spec.Search!);

        Assert.Equal(ObservationKind.Failed, missing.Kind);
        Assert.Equal(ObservationKind.Diverged, infinite.Kind);
    }

    [Theory]
    [InlineData(new float[] { 10, 50, 59.5f, 60 }, 0.99, 3)]
    [InlineData(new float[] { 60, 60, 60 }, 0.99, 1)]
    [InlineData(new float[] { 10, 60.5f, 40, 60 }, 0.99, 2)]
    [InlineData(new float[] { 10, 61, 40, 60 }, 0.99, 4)]
    [InlineData(new float[] { 100, 10, 1 }, 0.5, 3)]
    [InlineData(new float[] { 100, 1.4f, 1 }, 0.5, 2)]
    public void IterationsToReach_CountsUntilTheSeriesFirstComesWithinTheFraction(float[] series, double reach, double expected) =>
        Assert.Equal(expected, SearchObservations.IterationsToReach(series, reach));

    [Fact]
    public void ObjectiveValue_Reach_ReadsTheStepSeries()
    {
        var result = SearchHarness.Result(Driver.GetTrial(0), TrialStatus.Completed, Metrics(("mse", 1)), new StepSeries("loss", [4, 2, 1.01f, 1]));

        Assert.Equal(3.0, SearchObservations.ObjectiveValue(result, new SweepObjective("loss", Abstractions.Experiments.MetricGoal.Minimize, 0.98)));
        Assert.Null(SearchObservations.ObjectiveValue(result, new SweepObjective("slope", Abstractions.Experiments.MetricGoal.Minimize, 0.98)));
    }

    [Fact]
    public void Encode_InactiveConditionalParameter_IsNaNEvenWithAValue()
    {
        var point = Driver.Space.Encode(new Dictionary<string, string> { ["optimizer"] = "sgd", ["momentum"] = "0.5" });

        Assert.Equal(0, point[0]);
        Assert.True(double.IsNaN(point[1]));
        Assert.Equal(["optimizer"], Driver.Space.Decode(point).Keys);
    }

    private static ImmutableSortedDictionary<string, double> Metrics(params (string Name, double Value)[] metrics) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, metrics.Select(m => KeyValuePair.Create(m.Name, m.Value)));
}
