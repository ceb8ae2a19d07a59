using System.Globalization;
using GradDescent.Abstractions.Experiments;

namespace GradDescent.Sweeps.Tests;

public sealed class SweepPlanTests
{
    private static readonly SweepPlan Example = SweepPlan.Create(ExampleSpec.Parse());

    [Fact]
    public void Create_Example_CountsPointsAndTrials()
    {
        Assert.Equal(54, Example.GridPoints);
        Assert.Equal(20, Example.RandomPoints);
        Assert.Equal(74, Example.Points);
        Assert.Equal(222, Example.TotalTrials);
    }

    [Theory]
    [InlineData(0, "gd", "0.0001", 0, 0)]
    [InlineData(1, "gd", "0.0001", 1, 0)]
    [InlineData(2, "gd", "0.0001", 2, 0)]
    [InlineData(3, "gd", "0.000316227766016838", 0, 1)]
    [InlineData(26, "gd", "1", 2, 8)]
    [InlineData(27, "sgd", "0.0001", 0, 9)]
    [InlineData(100, "rmsprop", "0.1", 1, 33)]
    [InlineData(161, "adagrad", "1", 2, 53)]
    public void GetTrial_GridIndex_MapsToMixedRadixPointAndRepeat(long index, string optimizer, string learningRate, int seed, long point)
    {
        var trial = Example.GetTrial(index);

        Assert.Equal(index, trial.Index);
        Assert.Equal(seed, trial.Seed);
        Assert.Equal(seed, trial.Repeat);
        Assert.Equal(point, trial.PointIndex);
        Assert.Equal(
            $"init_intercept=-180 init_slope=6.04 intercept_grad_scale=1 iterations=50 learning_rate={learningRate} optimizer={optimizer} start=article",
            trial.Parameters.ToString());
    }

    [Fact]
    public void GetTrial_SweptMethodChoosesDefaults_EachTrialGetsItsMethodsDefaults()
    {
        var spec = SweepSpecParser.Parse(
            "name: methods\nexperiment: vector-spread\nparameters:\n  iterations: 100\ngrid:\n  method: [min-angle, energy, tangential-force]\n  optimizer: [ascent, adam]\n",
            "methods.yaml");
        var plan = SweepPlan.Create(spec);

        var trials = Enumerable.Range(0, 6).Select(i => plan.GetTrial(i).Parameters).ToList();

        // The first swept value (min-angle) chose no energy defaults; energy's trials get its own (16 restarts, s from 1).
        Assert.Equal([(false, "1"), (false, "1"), (true, "16"), (true, "16"), (false, "1"), (false, "1")],
            trials.Select(p => (p.Has("energy_s"), p.Values["restarts"])));
        Assert.Equal(["0.01", "0.01", "0.01", "0.01", "0.001", "0.001"], trials.Select(p => p.Values["learning_rate"]));
        Assert.All(trials, p => Assert.Equal(VectorSpreadDefinition.Instance.Bind(
            p.Values.Where(v => v.Key is "iterations" or "method" or "optimizer").Select(v => KeyValuePair.Create(v.Key, (object?)v.Value))).Values, p.Values));
    }

    [Fact]
    public void GetTrial_GridPoints_EqualExperimentBind()
    {
        var definition = LinearRegressionDefinition.Instance;
        for (var index = 0L; index < Example.GridPoints * 3; index++)
        {
            var point = index / 3;
            var expected = definition.Bind(
            [
                new("iterations", 50L),
                new("init_slope", 6.04),
                new("init_intercept", -180L),
                new("optimizer", ExampleSpec.Optimizers[point / 9]),
                new("learning_rate", double.Parse(ExampleSpec.LearningRates[point % 9], CultureInfo.InvariantCulture)),
            ]);

            Assert.Equal(expected.Values, Example.GetTrial(index).Parameters.Values);
        }
    }

    [Fact]
    public void GetTrial_RandomPoints_StayInTheirSpaceAndShareValuesAcrossRepeats()
    {
        var samples = Enumerable.Range(0, 20).Select(k => Example.GetTrial(162 + (3 * k))).ToList();

        foreach (var sample in samples)
        {
            Assert.InRange(sample.Parameters.GetDouble("learning_rate"), 1e-4, 1.0);
            Assert.Contains(sample.Parameters.GetText("optimizer"), new[] { "adam", "rmsprop" });
            Assert.Equal("50", sample.Parameters.GetText("iterations"));
            Assert.Equal(0, sample.Seed);
            var repeats = new[] { Example.GetTrial(sample.Index + 1), Example.GetTrial(sample.Index + 2) };
            Assert.Equal([1, 2], repeats.Select(r => r.Seed));
            Assert.All(repeats, r => Assert.Equal(sample.Parameters.Values, r.Parameters.Values));
        }

        Assert.Equal(20, samples.Select(s => s.Parameters.GetText("learning_rate")).Distinct().Count());
        Assert.Equal(2, samples.Select(s => s.Parameters.GetText("optimizer")).Distinct().Count());
        Assert.Equal(Enumerable.Range(54, 20).Select(p => (long)p), samples.Select(s => s.PointIndex));
    }

    [Fact]
    public void GetTrial_RandomPoints_ReproducibleFromSeedAndSampleAlone()
    {
        var again = SweepPlan.Create(SweepSpecParser.Parse(ExampleSpec.Yaml, "again.yaml"));
        var moreSamples = SweepPlan.Create(SweepSpecParser.Parse(ExampleSpec.Yaml.Replace("samples: 20", "samples: 500"), "more.yaml"));
        var otherSeed = SweepPlan.Create(SweepSpecParser.Parse(ExampleSpec.Yaml + "\nseed: 1", "seed1.yaml"));

        for (var index = 162L; index < 222; index++)
        {
            Assert.Equal(Example.GetTrial(index).Parameters.Values, again.GetTrial(index).Parameters.Values);
            Assert.Equal(Example.GetTrial(index).Parameters.Values, moreSamples.GetTrial(index).Parameters.Values);
        }

        Assert.NotEqual(Example.GetTrial(162).Parameters.GetText("learning_rate"), otherSeed.GetTrial(162).Parameters.GetText("learning_rate"));
    }

    [Fact]
    public void GetTrial_IntUniformAndUniform_CoverInclusiveBounds()
    {
        var plan = SweepPlan.Create(SweepSpecParser.Parse("""
            name: draws
            experiment: vector-spread
            random:
              samples: 300
              space:
                vectors: {int_uniform: [2, 4]}
                lr_decay: {uniform: [0.5, 1]}
            """, "draws.yaml"));

        var trials = plan.Enumerate().ToList();

        Assert.Equal(300, trials.Count);
        Assert.Equal(["2", "3", "4"], trials.Select(t => t.Parameters.GetText("vectors")).Distinct().Order());
        Assert.All(trials, t => Assert.InRange(t.Parameters.GetDouble("lr_decay"), 0.5, 1.0));
        Assert.Equal(0, plan.GridPoints);
    }

    [Fact]
    public void GetTrial_GridAxisMissingFromSpace_IsDrawnFromItsGridValues()
    {
        var plan = SweepPlan.Create(SweepSpecParser.Parse("""
            name: mixed
            experiment: linear-regression
            grid:
              optimizer: [adam, nadam]
              learning_rate: [0.1, 0.2]
            random:
              samples: 50
              space:
                learning_rate: {log_uniform: [0.001, 0.01]}
            """, "mixed.yaml"));

        var drawn = plan.Enumerate(plan.GridPoints).ToList();

        Assert.Equal(50, drawn.Count);
        Assert.Equal(["adam", "nadam"], drawn.Select(t => t.Parameters.GetText("optimizer")).Distinct().Order());
        Assert.All(drawn, t => Assert.InRange(t.Parameters.GetDouble("learning_rate"), 0.001, 0.01));
    }

    [Fact]
    public void GetTrial_EveryIndex_EqualsEnumerate()
    {
        var enumerated = Example.Enumerate().ToList();

        Assert.Equal(222, enumerated.Count);
        for (var index = 0; index < enumerated.Count; index++)
        {
            var trial = Example.GetTrial(index);
            Assert.Equal(enumerated[index].Index, trial.Index);
            Assert.Equal(enumerated[index].Seed, trial.Seed);
            Assert.Equal(enumerated[index].PointIndex, trial.PointIndex);
            Assert.Equal(enumerated[index].Parameters.Values, trial.Parameters.Values);
        }
    }

    [Fact]
    public void Enumerate_FromIndex_ResumesThere()
    {
        Assert.Equal(Enumerable.Range(200, 22).Select(i => (long)i), Example.Enumerate(200).Select(t => t.Index));
        Assert.Empty(Example.Enumerate(222));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(222)]
    public void GetTrial_IndexOutOfRange_Throws(long index) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Example.GetTrial(index));

    [Fact]
    public void Enumerate_FromPastTheEnd_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Example.Enumerate(223));

    [Fact]
    public void Create_NoGridNoRandom_HasOnePointPerRepeat()
    {
        var plan = SweepPlan.Create(SweepSpecParser.Parse("""
            name: single
            experiment: adversarial
            repeats: 4
            """, "single.yaml"));

        Assert.Equal(4, plan.TotalTrials);
        Assert.Equal([0, 1, 2, 3], plan.Enumerate().Select(t => t.Seed));
        Assert.All(plan.Enumerate(), t => Assert.Equal(0, t.PointIndex));
        Assert.Equal("dog", plan.GetTrial(3).Parameters.GetText("target"));
    }

    [Fact]
    public void GetTrial_MillionTrialSweep_IndexesTheLastTrialDirectly()
    {
        var plan = SweepPlan.Create(SweepSpecParser.Parse("""
            name: big
            experiment: linear-regression
            grid:
              optimizer: [gd, sgd, momentum, nesterov, rmsprop, adam, adamw, adagrad, adadelta, adamax]
              learning_rate: {log: [1.0e-6, 1], count: 1000}
            repeats: 100
            """, "big.yaml"));

        var last = plan.GetTrial(999_999);

        Assert.Equal(1_000_000, plan.TotalTrials);
        Assert.Equal("adamax", last.Parameters.GetText("optimizer"));
        Assert.Equal("1", last.Parameters.GetText("learning_rate"));
        Assert.Equal(99, last.Seed);
    }

    [Fact]
    public void Create_UnknownExperiment_Throws()
    {
        var spec = ExampleSpec.Parse() with { Experiment = "nope" };

        Assert.Throws<ArgumentException>(() => SweepPlan.Create(spec));
    }
}
