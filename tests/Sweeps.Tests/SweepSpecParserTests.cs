using GradDescent.Abstractions.Experiments;

namespace GradDescent.Sweeps.Tests;

public sealed class SweepSpecParserTests
{
    [Fact]
    public void Parse_Example_ReadsEverySection()
    {
        var spec = ExampleSpec.Parse();

        Assert.Equal("seed-optimizers", spec.Name);
        Assert.Equal(LinearRegressionDefinition.Name, spec.Experiment);
        Assert.Equal(
            [new("init_intercept", "-180"), new("init_slope", "6.04"), new("iterations", "50")],
            spec.Parameters.ToArray());
        Assert.Equal(["optimizer", "learning_rate"], spec.Grid.Select(a => a.Name));
        Assert.Equal(ExampleSpec.Optimizers, spec.Grid[0].Values.ToArray());
        Assert.Equal(ExampleSpec.LearningRates, spec.Grid[1].Values.ToArray());
        Assert.NotNull(spec.Random);
        Assert.Equal(20, spec.Random.Samples);
        Assert.Equal(
            [new RandomDimension("learning_rate", RandomDistribution.LogUniform, 1e-4, 1.0, [])],
            spec.Random.Space.Take(1).Select(d => d with { Choices = [] }));
        Assert.Equal(RandomDistribution.Choice, spec.Random.Space[1].Distribution);
        Assert.Equal(["adam", "rmsprop"], spec.Random.Space[1].Choices.ToArray());
        Assert.Equal(3, spec.Repeats);
        Assert.Equal(0, spec.Seed);
        Assert.Equal(3, spec.MaxAttempts);
        Assert.Null(spec.BatchSize);
        Assert.Null(spec.Description);
        Assert.Equal("example.yaml", spec.SourceName);
        Assert.Equal(ExampleSpec.Yaml, spec.Text);
        Assert.Equal(54, spec.GridPoints);
        Assert.Equal(222, spec.TotalTrials);
    }

    [Fact]
    public void Parse_OptionalKeys_AreRead()
    {
        var spec = SweepSpecParser.Parse("""
            name: options.v2
            description: every optional key
            experiment: vector-spread
            seed: -7
            max_attempts: 5
            batch_size: 64
            repeats: 2
            """, "options.yaml");

        Assert.Equal("every optional key", spec.Description);
        Assert.Equal(-7, spec.Seed);
        Assert.Equal(5, spec.MaxAttempts);
        Assert.Equal(64, spec.BatchSize);
        Assert.Equal(2, spec.TotalTrials);
    }

    [Fact]
    public void Parse_JsonExample_EqualsYamlExample()
    {
        var json = SweepPlan.Create(SweepSpecParser.Parse(ExampleSpec.Json, "example.json"));
        var yaml = SweepPlan.Create(ExampleSpec.Parse());

        Assert.Equal(222, json.TotalTrials);
        Assert.Equal(
            yaml.Enumerate().Select(t => t.Parameters.ToString()),
            json.Enumerate().Select(t => t.Parameters.ToString()));
    }

    [Fact]
    public void Parse_LinearGenerator_GivesEvenlySpacedCleanValues()
    {
        var spec = SweepSpecParser.Parse("""
            name: linear
            experiment: linear-regression
            grid:
              momentum: {linear: [0, 0.9], count: 10}
              learning_rate: {linear: [0.5, 0.5], count: 1}
              beta1: {linear: [0.9, 0.6], count: 4}
            """, "linear.yaml");

        Assert.Equal(["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"], spec.Grid[0].Values.ToArray());
        Assert.Equal(["0.5"], spec.Grid[1].Values.ToArray());
        Assert.Equal(["0.9", "0.8", "0.7", "0.6"], spec.Grid[2].Values.ToArray());
    }

    [Fact]
    public void Parse_LogGenerator_HitsDecadesExactly()
    {
        var spec = SweepSpecParser.Parse("""
            name: log
            experiment: linear-regression
            grid:
              learning_rate: {log: [1.0e-5, 10], count: 7}
            """, "log.yaml");

        Assert.Equal(["1E-05", "0.0001", "0.001", "0.01", "0.1", "1", "10"], spec.Grid[0].Values.ToArray());
    }

    [Fact]
    public void Parse_IntegerGenerator_RoundsAndDropsRepeats()
    {
        var spec = SweepSpecParser.Parse("""
            name: integers
            experiment: vector-spread
            grid:
              vectors: {log: [2, 100], count: 7}
              dims: {linear: [2, 4], count: 5}
            """, "integers.yaml");

        Assert.Equal(["2", "4", "7", "14", "27", "52", "100"], spec.Grid[0].Values.ToArray());
        Assert.Equal(["2", "3", "4"], spec.Grid[1].Values.ToArray());
    }

    [Fact]
    public void Parse_ChoiceValues_AreCanonicalised()
    {
        var spec = SweepSpecParser.Parse("""
            name: canon
            experiment: linear-regression
            parameters:
              learning_rate: 1.0e-1
            grid:
              optimizer: [Adam, RMSprop]
            """, "canon.yaml");

        Assert.Equal("0.1", spec.Parameters["learning_rate"]);
        Assert.Equal(["adam", "rmsprop"], spec.Grid[0].Values.ToArray());
    }

    [Fact]
    public void ParseFile_ExistingFile_UsesPathAsSourceName()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sweep-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, ExampleSpec.Yaml);
        try
        {
            var spec = SweepSpecParser.ParseFile(path);

            Assert.Equal(path, spec.SourceName);
            Assert.Equal(222, spec.TotalTrials);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
