using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace GradDescent.Sweeps.Tests;

/// <summary>SweepSpec and TrialPoint cross grain calls: Orleans' serializer must round-trip them.</summary>
public sealed class SweepSpecSerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void Serializer_SweepSpec_RoundTripsEveryField()
    {
        var spec = SweepSpecParser.Parse(ExampleSpec.Yaml + "\nbatch_size: 32\ndescription: copy", "example.yaml");

        var copy = Serializer.Deserialize<SweepSpec>(Serializer.SerializeToArray(spec))!;

        Assert.Equal(spec.Text, copy.Text);
        Assert.Equal(spec.SourceName, copy.SourceName);
        Assert.Equal(spec with { Grid = [], Random = null, Parameters = copy.Parameters }, copy with { Grid = [], Random = null });
        Assert.Equal(spec.Parameters.ToArray(), copy.Parameters.ToArray());
        Assert.Equal(spec.Grid.Select(a => (a.Name, string.Join(",", a.Values))), copy.Grid.Select(a => (a.Name, string.Join(",", a.Values))));
        Assert.Equal(spec.Random!.Samples, copy.Random!.Samples);
        Assert.Equal(spec.Random.Space.Select(d => d with { Choices = [] }), copy.Random.Space.Select(d => d with { Choices = [] }));
        Assert.Equal(spec.Random.Space[1].Choices.ToArray(), copy.Random.Space[1].Choices.ToArray());
        Assert.Equal(222, SweepPlan.Create(copy).TotalTrials);
    }

    [Fact]
    public void Serializer_SweepSpecWithPlacement_KeepsIt()
    {
        var spec = SweepSpecParser.Parse(ExampleSpec.Yaml + "\nplacement: {pool: gpu, device: cuda}", "example.yaml");

        var copy = Serializer.Deserialize<SweepSpec>(Serializer.SerializeToArray(spec))!;

        Assert.Equal(new GradDescent.Abstractions.Grains.SweepPlacement("gpu", "cuda"), copy.Placement);
    }

    [Fact]
    public void Serializer_TrialPoint_RoundTrips()
    {
        var trial = SweepPlan.Create(ExampleSpec.Parse()).GetTrial(200);

        var copy = Serializer.Deserialize<TrialPoint>(Serializer.SerializeToArray(trial))!;

        Assert.Equal((trial.Index, trial.Seed, trial.PointIndex, trial.Repeat), (copy.Index, copy.Seed, copy.PointIndex, copy.Repeat));
        Assert.Equal(trial.Parameters.Values, copy.Parameters.Values);
    }
}
