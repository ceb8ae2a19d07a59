using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Trials;
using GradDescent.Workers.Experiments;
using GradDescent.Workers.Experiments.Adversarial;
using GradDescent.Workers.Tests.Search;
using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests.Adversarial;

/// <summary>Early stopping inside a fused batch of attacks (docs/search.md).</summary>
[Collection(SmallVictimCollection.Name)]
public sealed class AdversarialStoppingTests(SmallVictimFixture fixture)
{
    private const int Iterations = 8;

    private readonly AdversarialExperiment experiment = new(files: new FileGate(new FileAccessOptions { Roots = [fixture.Folder] }));

    [Theory]
    [InlineData("sign")]
    [InlineData("adam")]
    public void RunFused_AshaOnTargetProbability_StopsTheRowsTheirSeriesSayAndRunsTheRestUnchanged(string optimizer)
    {
        var trials = Enumerable.Range(1, 6)
            .Select(seed => new TrialInput(Bind(("optimizer", optimizer), ("step", "1"), ("budget", "4"), ("learning_rate", (0.001 * seed).ToString("R", CultureInfo.InvariantCulture))), seed))
            .ToList();
        var full = experiment.RunFused(trials, torch.CPU, CancellationToken.None);
        var series = full.Select(o => Series(o, "target_probability")).ToList();
        var plan = StoppingPlans.Asha(maximize: true, metricStep: 1, reductionFactor: 3, series, 3);

        var stopped = experiment.RunFused([.. trials.Select(t => t with { Stopping = plan })], torch.CPU, CancellationToken.None);

        var expected = series.Select(s => StoppingPlans.ExpectedStop(plan, s)).ToList();
        Assert.Contains(expected, e => e is not null);
        Assert.Contains(expected, e => e is null);
        for (var b = 0; b < trials.Count; b++)
        {
            var length = expected[b] ?? Iterations + 1;
            Assert.Equal(expected[b] is null ? TrialStatus.Completed : TrialStatus.Pruned, stopped[b].Status);
            Assert.Equal(expected[b], stopped[b].PrunedAt);
            foreach (var metric in new[] { "target_probability", "p_cat", "p_dog" })
            {
                var values = Series(stopped[b], metric);
                Assert.Equal(length, values.Length);
                for (var i = 0; i < length; i++)
                {
                    Assert.True(Math.Abs(Series(full[b], metric)[i] - values[i]) <= 1e-5, $"trial {b} {metric}[{i}]: {Series(full[b], metric)[i]} vs {values[i]}");
                }
            }

            Assert.Equal(Series(stopped[b], "target_probability")[^1], stopped[b].Metrics["target_probability"]);
            Assert.Equal(length, stopped[b].Detail["probabilities"]!.AsArray().Count);
        }
    }

    private ParameterSet Bind(params (string Name, string Value)[] values) =>
        AdversarialDefinition.Instance.Bind(values
            .Append((Name: "iterations", Value: Iterations.ToString(CultureInfo.InvariantCulture)))
            .Select(v => new KeyValuePair<string, object?>(v.Name, v.Value))
            .Append(new("model", fixture.ModelPath)));

    private static float[] Series(TrialOutcome outcome, string metric) => outcome.History.Single(s => s.Metric == metric).Values;
}
