using System.Collections.Immutable;
using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Storage.Tests.Infrastructure;

/// <summary>Sweeps and linear-regression results with known values.</summary>
public static class SampleResults
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    public static SweepRecord Sweep(string id, long totalTrials = 100, string experiment = LinearRegressionDefinition.Name) => new()
    {
        Id = id,
        Name = $"sweep {id}",
        Experiment = experiment,
        Spec = "experiment: linear-regression\ngrid:\n  learning_rate: [0.1, 0.01]\n",
        SpecFormat = "yaml",
        Status = SweepStatus.Pending,
        TotalTrials = totalTrials,
        CreatedAt = Start,
    };

    /// <summary>
    /// A linear-regression result with three step series (<c>loss</c>, <c>slope</c>, <c>intercept</c>) of
    /// <paramref name="steps"/> exactly representable floats derived from the index.
    /// </summary>
    public static TrialResult Result(
        string sweepId,
        long index,
        double mse,
        TrialStatus status = TrialStatus.Completed,
        string optimizer = "gd",
        double learningRate = 0.01,
        int steps = 5,
        string workerId = "worker-1") => new()
    {
        SweepId = sweepId,
        Index = index,
        Experiment = LinearRegressionDefinition.Name,
        Parameters = new ParameterSet(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["iterations"] = steps.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = learningRate.ToString("R", CultureInfo.InvariantCulture),
            ["optimizer"] = optimizer,
        })),
        Seed = (int)index + 7,
        Status = status,
        Attempts = 1,
        WorkerId = workerId,
        Device = "cpu",
        StartedAt = Start.AddSeconds(index),
        FinishedAt = Start.AddSeconds(index).AddMilliseconds(250),
        DurationMs = 12.5,
        Metrics = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, double>
        {
            ["intercept"] = -100.25,
            ["mse"] = mse,
            ["slope"] = 3.5,
        }),
        Steps =
        [
            new StepSeries("loss", [.. Enumerable.Range(0, steps).Select(s => 1000f - s * 0.5f - index)]),
            new StepSeries("slope", [.. Enumerable.Range(0, steps).Select(s => s * 0.25f + index)]),
            new StepSeries("intercept", [.. Enumerable.Range(0, steps).Select(s => -s * 0.125f)]),
        ],
        DivergedAtStep = status == TrialStatus.Diverged ? 3 : null,
        Error = status == TrialStatus.Failed ? "boom" : null,
        DetailJson = """{"exact_slope": 3.5}""",
    };
}
