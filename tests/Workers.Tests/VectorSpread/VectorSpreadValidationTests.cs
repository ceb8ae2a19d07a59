using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using Xunit;

namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>Bad parameters are rejected before any math runs, naming the parameter.</summary>
public sealed class VectorSpreadValidationTests
{
    [Theory]
    [InlineData("vectors", 1)]
    [InlineData("vectors", "many")]
    [InlineData("dims", 0)]
    [InlineData("dims", 1)]
    [InlineData("method", "max-angle")]
    [InlineData("optimizer", "lbfgs")]
    [InlineData("learning_rate", 0)]
    [InlineData("learning_rate", -0.1)]
    [InlineData("iterations", 0)]
    [InlineData("lr_decay", 0)]
    [InlineData("lr_decay", 1.5)]
    [InlineData("lr_decay_every", 0)]
    [InlineData("clip_norm", 0)]
    [InlineData("momentum", 1)]
    [InlineData("seed_vectors", 3)]
    [InlineData("restarts", 0)]
    [InlineData("restarts", 1025)]
    [InlineData("energy_s", 0)]
    [InlineData("energy_s_final", -1)]
    [InlineData("method", "thomson")]
    public void Bind_BadValue_ThrowsNamingParameter(string name, object value)
    {
        var error = Assert.Throws<ParameterException>(() => SpreadTrials.Bind((name, value)));
        Assert.Equal(name, error.Parameter);
    }

    [Fact]
    public void Validate_BoundDefaults_Accepts()
    {
        var parameters = SpreadTrials.Bind();

        SpreadTrials.Experiment.Validate(parameters);

        Assert.Equal("20", parameters.GetText("vectors"));
    }

    [Theory]
    [InlineData("vectors", "1")]
    [InlineData("dims", "0")]
    [InlineData("method", "max-angle")]
    [InlineData("learning_rate", "fast")]
    [InlineData("colour", "red")]
    public void Validate_HandBuiltBadValue_ThrowsNamingParameter(string name, string value)
    {
        var parameters = new ParameterSet(SpreadTrials.Bind().Values.SetItem(name, value));

        var error = Assert.Throws<ParameterException>(() => SpreadTrials.Experiment.Validate(parameters));
        Assert.Equal(name, error.Parameter);
    }

    /// <summary>Each method's own defaults: the article's settings for its objectives, the tuned ones for energy.</summary>
    [Theory]
    [InlineData("min-angle", "ascent", "0.01", "5000", "1", null, "1", null)]
    [InlineData("min-angle-variance", "ascent", "0.01", "5000", "1", null, "1", null)]
    [InlineData("tangential-force", "ascent", "0.001", "500", "0.7", "200", "1", null)]
    [InlineData("energy", "adam", "0.01", "2000", "0.8", "10", "16", "1")]
    public void Bind_MethodOnly_TakesThatMethodsDefaults(
        string method, string optimizer, string learningRate, string iterations, string decay, string? clip, string restarts, string? exponent)
    {
        var parameters = SpreadTrials.Bind(("method", method));

        Assert.Equal(optimizer, parameters.GetText("optimizer"));
        Assert.Equal(learningRate, parameters.GetText("learning_rate"));
        Assert.Equal(iterations, parameters.GetText("iterations"));
        Assert.Equal(decay, parameters.GetText("lr_decay"));
        Assert.Equal("100", parameters.GetText("lr_decay_every"));
        Assert.Equal(clip, parameters.GetTextOrNull("clip_norm"));
        Assert.Equal(restarts, parameters.GetText("restarts"));
        Assert.Equal(exponent, parameters.GetTextOrNull("energy_s"));
        Assert.Equal(exponent is null ? null : "1000", parameters.GetTextOrNull("energy_s_final"));
    }

    [Fact]
    public void Bind_NoMethod_DefaultsToEnergy() =>
        Assert.Equal("energy", SpreadTrials.Bind().GetText("method"));

    /// <summary>A value given explicitly wins over the method's default, in either order of the pairs.</summary>
    [Fact]
    public void Bind_ExplicitValueWithMethod_ExplicitValueWins()
    {
        var before = SpreadTrials.Bind(("learning_rate", 0.05), ("method", "tangential-force"), ("clip_norm", 3));
        var after = SpreadTrials.Bind(("method", "tangential-force"), ("iterations", 70), ("optimizer", "rmsprop"));

        Assert.Equal("0.05", before.GetText("learning_rate"));
        Assert.Equal("3", before.GetText("clip_norm"));
        Assert.Equal("0.7", before.GetText("lr_decay"));
        Assert.Equal("70", after.GetText("iterations"));
        Assert.Equal("rmsprop", after.GetText("optimizer"));
    }

    /// <summary>Every method-dependent default is itself a valid, canonical value of its parameter.</summary>
    [Fact]
    public void Definition_DependentDefaults_AreCanonicalValues()
    {
        var dependent = VectorSpreadDefinition.Instance.Parameters.Where(p => p.DependentDefault is not null).ToList();

        Assert.NotEmpty(dependent);
        Assert.All(dependent, p =>
        {
            Assert.Equal("method", p.DependentDefault!.Controller);
            Assert.All(p.DependentDefault.Values, kv =>
            {
                Assert.Contains(kv.Key, VectorSpreadDefinition.Methods);
                Assert.Equal(kv.Value, p.Canonicalize(kv.Value));
            });
        });
    }

    /// <summary>A default may depend only on a parameter whose own default is plain (so binding order cannot matter).</summary>
    [Fact]
    public void Bind_DefaultDependingOnADependentParameter_ThrowsNamingBoth()
    {
        var definition = VectorSpreadDefinition.Instance with
        {
            Parameters =
            [
                .. VectorSpreadDefinition.Instance.Parameters,
                new ParameterDefinition
                {
                    Name = "chained", Kind = ParameterKind.Real, Description = "test",
                    DependentDefault = new DependentDefault("optimizer", new Dictionary<string, string?> { ["adam"] = "1" }),
                },
            ],
        };

        var error = Assert.Throws<InvalidOperationException>(() => definition.Bind([]));
        Assert.Contains("'chained'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'optimizer'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("min-angle", "energy_s")]
    [InlineData("tangential-force", "energy_s_final")]
    public void Validate_EnergyExponentWithAnotherMethod_ThrowsNamingParameter(string method, string name)
    {
        var parameters = SpreadTrials.Bind(("method", method), (name, 2.0));

        var error = Assert.Throws<ParameterException>(() => SpreadTrials.Experiment.Validate(parameters));
        Assert.Equal(name, error.Parameter);
        Assert.Contains("energy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EnergyWithoutItsExponent_ThrowsNamingParameter()
    {
        var parameters = new ParameterSet(SpreadTrials.Bind().Values.Remove("energy_s_final"));

        var error = Assert.Throws<ParameterException>(() => SpreadTrials.Experiment.Validate(parameters));
        Assert.Equal("energy_s_final", error.Parameter);
    }

    [Fact]
    public void Validate_MissingRequiredValue_ThrowsNamingParameter()
    {
        var parameters = new ParameterSet(SpreadTrials.Bind().Values.Remove("iterations"));

        var error = Assert.Throws<ParameterException>(() => SpreadTrials.Experiment.Validate(parameters));
        Assert.Equal("iterations", error.Parameter);
    }

    [Fact]
    public void RunFused_InvalidTrial_ThrowsBeforeRunning()
    {
        var parameters = new ParameterSet(ImmutableSortedDictionary<string, string>.Empty.Add("vectors", "0"));

        var error = Assert.Throws<ParameterException>(() => SpreadTrials.RunOne(parameters, 1));
        Assert.Equal("vectors", error.Parameter);
    }
}
