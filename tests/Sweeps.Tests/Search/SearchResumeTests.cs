using GradDescent.Abstractions.Trials;
using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps.Tests.Search;

/// <summary>
/// Exact resume: a driver rebuilt from the stored trials at any point proposes exactly what the
/// uninterrupted one did, bit for bit, for every later generation.
/// </summary>
public sealed class SearchResumeTests
{
    public static TheoryData<string, string> Sweeps => new()
    {
        { "tpe", string.Empty },
        { "tpe", "  batch: 3\n  parallel_batches: 3\n" },
        { "tpe", "  liar: mean\n  parallel_batches: 2\n" },
        { "tpe", "  liar: best\n  startup_trials: 4\n" },
        { "nsga2", string.Empty },
        { "random", string.Empty },
    };

    [Theory]
    [MemberData(nameof(Sweeps))]
    public void Resume_AfterAnyNumberOfStoredTrials_ProposesWhatAnUninterruptedSweepWould(string algorithm, string extra)
    {
        var spec = Spec(algorithm, extra);
        var uninterrupted = new SearchDriver(spec);
        var stored = new List<TrialResult>();
        var all = SearchHarness.Run(uninterrupted, SyntheticObjectives.Conditional.Evaluate);

        // The order results reach the store: generation by generation as the harness finished them.
        foreach (var stop in new[] { 0, 1, 7, 10, 11, 23, 30, 44, 59 })
        {
            var resumed = new SearchDriver(spec);
            foreach (var result in all.Where(r => r.Index < stop).OrderBy(r => (r.Index * 7919) % 61))
            {
                resumed.Observe(result);
            }

            var continued = SearchHarness.Run(resumed, SyntheticObjectives.Conditional.Evaluate);

            Assert.Equal(all.Count, continued.Count);
            for (var g = 0; g < uninterrupted.Generations; g++)
            {
                var expected = uninterrupted.Points(g);
                var actual = resumed.Points(g);
                Assert.True(
                    expected.Zip(actual).All(p => p.First.SameAs(p.Second)),
                    $"{algorithm} resumed after {stop} trials proposes something else in generation {g}");
            }

            Assert.Equal(all.Select(r => r.Parameters.ToString()), continued.Select(r => r.Parameters.ToString()));
        }
    }

    [Fact]
    public void Observe_TheSameTrialTwice_IsIdempotent_AndAConflictThrows()
    {
        var driver = new SearchDriver(Spec("tpe", string.Empty));
        var trial = driver.Trials(0)[0];
        var point = driver.Space.Encode(trial.Parameters.Values);

        driver.Observe(TrialObservation.Completed(trial.Index, point, 1.5));
        driver.Observe(TrialObservation.Completed(trial.Index, point, 1.5));

        Assert.Equal(1, driver.Observed);
        Assert.Throws<InvalidOperationException>(() => driver.Observe(TrialObservation.Completed(trial.Index, point, 2.5)));
    }

    [Fact]
    public void Points_BeforeTheGenerationIsReady_Throws()
    {
        var driver = new SearchDriver(Spec("tpe", string.Empty));

        Assert.True(driver.IsReady(0));
        Assert.False(driver.IsReady(1));
        var ex = Assert.Throws<InvalidOperationException>(() => driver.Points(1));
        Assert.Contains("generations up to 0 must finish first", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParallelBatches_LetThatManyGenerationsRunAtOnce()
    {
        var driver = new SearchDriver(Spec("tpe", "  parallel_batches: 3\n"));

        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(driver.IsReady));
    }

    [Fact]
    public void ProposedAs_AStoredPointFromAnotherSpec_IsFalse()
    {
        var driver = new SearchDriver(Spec("tpe", string.Empty));
        var other = new SearchDriver(SearchHarness.Parse(SyntheticObjectives.Spec(SyntheticObjectives.Conditional, "tpe", 60, 10, 99)));

        Assert.True(driver.ProposedAs(3, driver.Space.Encode(driver.GetTrial(3).Parameters.Values)));
        Assert.False(driver.ProposedAs(3, other.Space.Encode(other.GetTrial(3).Parameters.Values)));
    }

    private static SweepSpec Spec(string algorithm, string extra) =>
        SearchHarness.Parse(SyntheticObjectives.Spec(
            SyntheticObjectives.Conditional, algorithm, 60, extra.Contains("batch:", StringComparison.Ordinal) ? null : 10, 11, extra));
}
