using GradDescent.Abstractions.Search;
using GradDescent.Sweeps.Search;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace GradDescent.Sweeps.Tests.Search;

/// <summary>A search spec crosses grain calls inside SweepSpec, a stopping plan inside a lease.</summary>
public sealed class SearchSerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void Serializer_SweepSpecWithSearch_RoundTripsTheSearch()
    {
        var spec = SearchHarness.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Conditional, "tpe", 40, 8, 3, "  liar: mean\n")
            + "\nearly_stopping: {algorithm: asha, min_iterations: 5, metric_step: 5}\n");

        var copy = Serializer.Deserialize<SweepSpec>(Serializer.SerializeToArray(spec))!;

        var (search, copied) = (spec.Search!, copy.Search!);
        Assert.Equal(search with { Space = [], Objectives = [] }, copied with { Space = [], Objectives = [] });
        Assert.Equal(search.Objectives.ToArray(), copied.Objectives.ToArray());
        Assert.Equal(search.Space.Select(d => d.Draw with { Choices = [] }), copied.Space.Select(d => d.Draw with { Choices = [] }));
        Assert.Equal(search.Space[0].Draw.Choices.ToArray(), copied.Space[0].Draw.Choices.ToArray());
        Assert.Equal(["momentum"], copied.Space[2].When[0].Values.ToArray());
        Assert.Equal(40, copy.TotalTrials);
        Assert.Equal(
            new SearchDriver(spec).Trials(0).Select(t => t.Parameters.ToString()),
            new SearchDriver(copy).Trials(0).Select(t => t.Parameters.ToString()));
    }

    [Fact]
    public void Serializer_StoppingPlan_RoundTrips()
    {
        var plan = new StoppingPlan(EarlyStoppingRule.Asha, "loss", false, 5, 3, [new StoppingCheckpoint(5, 0, [1.5, 2.5], null), new StoppingCheckpoint(15, 1, [], 3.0)]);

        var copy = Serializer.Deserialize<StoppingPlan>(Serializer.SerializeToArray(plan))!;

        Assert.Equal(plan with { Checkpoints = [] }, copy with { Checkpoints = [] });
        Assert.Equal(plan.Checkpoints.Select(c => (c.Iteration, c.Rung, string.Join(",", c.History), c.Median)), copy.Checkpoints.Select(c => (c.Iteration, c.Rung, string.Join(",", c.History), c.Median)));
    }
}
