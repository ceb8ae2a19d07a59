using GradDescent.Abstractions.Storage;

namespace GradDescent.Sweeps.Tests;

/// <summary>One way a validated spec becomes a stored sweep (run, submit and the dashboard).</summary>
public sealed class NewSweepTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 17, 45, 3, TimeSpan.FromHours(2));

    [Fact]
    public void Record_YamlSpec_PendingWithTheSpecTextAndAReadableUtcId()
    {
        var spec = SweepSpecParser.Parse(ExampleSpec.Yaml, "example.yaml");

        var record = NewSweep.Record(spec, Now);

        Assert.Matches($"^{spec.Name}-20261129-154503-[0-9a-f]{{4}}$", record.Id);
        Assert.Equal((spec.Name, spec.Experiment, spec.Text, "yaml", SweepStatus.Pending, spec.TotalTrials, Now),
            (record.Name, record.Experiment, record.Spec, record.SpecFormat, record.Status, record.TotalTrials, record.CreatedAt));
        Assert.Null(record.StartedAt);
    }

    [Theory]
    [InlineData("""{"name": "j", "experiment": "linear-regression"}""", "json")]
    [InlineData("""  {"name": "j"}""", "json")]
    [InlineData("{name: j, experiment: linear-regression}", "yaml")]
    [InlineData("name: j\nexperiment: linear-regression\n", "yaml")]
    public void Format_SpecText_JsonOnlyForAJsonDocument(string text, string expected) =>
        Assert.Equal(expected, NewSweep.Format(text));

    [Fact]
    public void Id_SameSecond_DiffersInTheRandomSuffix()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => NewSweep.Id("s", Now)).ToHashSet(StringComparer.Ordinal);

        Assert.True(ids.Count > 1, "50 ids made in the same second were all equal");
        Assert.All(ids, id => Assert.StartsWith("s-20261129-154503-", id, StringComparison.Ordinal));
    }
}
