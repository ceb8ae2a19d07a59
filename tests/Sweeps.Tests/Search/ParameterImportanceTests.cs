using GradDescent.Abstractions.Experiments;
using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps.Tests.Search;

public sealed class ParameterImportanceTests
{
    private static readonly SearchSpace Space = new(
        [
            Dimension("init_slope", RandomDistribution.Uniform, -1, 1),
            Dimension("init_intercept", RandomDistribution.Uniform, -1, 1),
            Dimension("learning_rate", RandomDistribution.LogUniform, 1e-4, 1),
            new SearchDimension(new RandomDimension("optimizer", RandomDistribution.Choice, 0, 0, ["sgd", "adam", "rmsprop"]), null, []),
        ],
        LinearRegressionDefinition.Instance);

    [Fact]
    public void Fanova_OneParameterDrivesTheObjective_GetsAlmostAllTheImportance()
    {
        var observations = Sample(200, p => 10 * p[0]);

        var importance = ParameterImportance.Fanova(Space, observations, 0, seed: 1);

        Assert.Equal("init_slope", importance[0].Parameter);
        Assert.True(importance[0].Importance > 0.9, $"init_slope got {importance[0].Importance}");
        Assert.Equal(1.0, importance.Sum(i => i.Importance), 1e-12);
    }

    [Fact]
    public void Fanova_RanksParametersByTheirEffect_InLogSpaceAndForChoices()
    {
        // Effects: the optimizer (±3), the learning rate's order of magnitude (±2 over 4 decades), the
        // intercept a little, the slope not at all.
        var observations = Sample(300, p => (p[3] switch { 0 => -3.0, 1 => 3.0, _ => 0.0 }) + Math.Log10(p[2]) + (0.3 * p[1]));

        var importance = ParameterImportance.Fanova(Space, observations, 0, seed: 2).Select(i => i.Parameter).ToArray();

        Assert.Equal(["optimizer", "learning_rate", "init_intercept", "init_slope"], importance);
    }

    [Fact]
    public void Fanova_IsDeterministicForItsSeed()
    {
        var observations = Sample(80, p => (p[0] * p[1]) + p[3]);

        Assert.Equal(ParameterImportance.Fanova(Space, observations, 0, 5).ToArray(), ParameterImportance.Fanova(Space, observations, 0, 5).ToArray());
    }

    [Fact]
    public void Fanova_ConditionalParametersAndTooFewTrials_AreLeftOut()
    {
        var spec = SearchHarness.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Conditional, "random", 60, 20, 1));
        var driver = new SearchDriver(spec);
        var results = SearchHarness.Run(driver, SyntheticObjectives.Conditional.Evaluate);

        var importance = ParameterImportance.Fanova(driver.Space, driver.Observations, 0, 3);

        Assert.DoesNotContain(importance, i => i.Parameter == "momentum");
        Assert.Equal(["iterations", "learning_rate", "optimizer"], importance.Select(i => i.Parameter).Order());
        Assert.Empty(ParameterImportance.Fanova(driver.Space, driver.Observations.Take(1), 0, 3));
        Assert.Equal(60, results.Count);
    }

    private static List<TrialObservation> Sample(int count, Func<double[], double> objective)
    {
        var observations = new List<TrialObservation>(count);
        for (var i = 0; i < count; i++)
        {
            var point = Space.Draw(d => RandomSampler.Bits(42, i, d));
            observations.Add(TrialObservation.Completed(i, point, objective([.. point.Values])));
        }

        return observations;
    }

    private static SearchDimension Dimension(string name, RandomDistribution distribution, double low, double high) =>
        new(new RandomDimension(name, distribution, low, high, []), null, []);
}
