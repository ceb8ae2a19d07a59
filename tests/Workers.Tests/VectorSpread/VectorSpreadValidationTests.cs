using System.Collections.Immutable;
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
