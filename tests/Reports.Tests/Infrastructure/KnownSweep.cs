using System.Collections.Immutable;
using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;

namespace GradDescent.Reports.Tests.Infrastructure;

/// <summary>
/// A small linear-regression sweep with hand-chosen outcomes: adam and gd, learning rates 0.1 and 0.01, three seeds.
/// gd at 0.1 loses one seed to divergence (its other seeds are better than gd at 0.01, which still wins: every seed completed there). Each trial's loss series is chosen so the first step within 1% of the
/// sweep's best (10) is known. The exact least-squares mse (the known optimum) is set to 10 as well, so "within 1% of the
/// optimum" and "within 1% of the sweep's best" agree here. Every trial names the data set <c>data.csv</c>; the first
/// carries its content.
/// </summary>
public static class KnownSweep
{
    public const string Id = "known-lr";

    /// <summary>(optimizer, learning rate, per-seed final mse (null: diverged), per-seed loss series).</summary>
    public static readonly (string Optimizer, double Rate, double?[] Mse, float[][] Loss)[] Groups =
    [
        ("adam", 0.1, [10, 12, 14], [[100, 40, 10.05f, 10], [100, 10.09f, 12, 12], [100, 50, 20, 14]]),
        ("adam", 0.01, [20, 21, 22], [[100, 60, 30, 20], [100, 60, 30, 21], [100, 60, 30, 22]]),
        ("gd", 0.1, [null, 11, 11.5], [[100, 1e30f], [100, 60, 40, 11], [100, 60, 40, 11.5f]]),
        ("gd", 0.01, [15, 16, 20], [[100, 80, 10.09f, 15], [100, 80, 30, 16], [100, 80, 30, 20]]),
    ];

    public const double ExactMse = 10;

    /// <summary>The data set every trial fitted: 20 people.</summary>
    public static TrialArtifact Data { get; } = TrialArtifact.FromContent(
        "data.csv",
        "text/csv",
        System.Text.Encoding.UTF8.GetBytes("height,weight\n" + string.Concat(Enumerable.Range(0, 20).Select(i => FormattableString.Invariant($"{60 + i},{30 + (3 * (60 + i)) - 150 + ((i % 3) - 1)}\n")))));

    public static double DurationOf(long index) => 5 + (index * 10);

    public static async Task StoreAsync(IResultStore store, string sweepId = Id)
    {
        await store.CreateSweepAsync(Sweep(sweepId, "known-lr", LinearRegressionDefinition.Name, 12));
        var results = new List<TrialResult>();
        var index = 0L;
        foreach (var (optimizer, rate, mse, loss) in Groups)
        {
            for (var seed = 0; seed < mse.Length; seed++)
            {
                var parameters = LinearRegressionDefinition.Instance.Bind(
                [
                    new("optimizer", optimizer), new("learning_rate", rate.ToString("R", CultureInfo.InvariantCulture)), new("iterations", "3"),
                ]);
                var series = loss[seed];
                var slope = series.Select((_, i) => 3f + (0.5f * i)).ToArray();
                var intercept = series.Select((_, i) => -150f + i).ToArray();
                results.Add(Result(sweepId, index, LinearRegressionDefinition.Name, parameters, seed, mse[seed] is null ? TrialStatus.Diverged : TrialStatus.Completed)
                    with
                {
                    Metrics = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, double>
                    {
                        ["mse"] = mse[seed] ?? double.NaN,
                        ["exact_mse"] = ExactMse,
                        ["exact_slope"] = 3,
                        ["exact_intercept"] = -150,
                    }),
                    Steps = [new StepSeries("intercept", intercept), new StepSeries("loss", series), new StepSeries("slope", slope)],
                    DivergedAtStep = mse[seed] is null ? 1 : null,
                    Artifacts = [index == 0 ? Data : Data.AsReference()],
                });
                index++;
            }
        }

        await store.SaveResultsAsync(results);
    }

    public static SweepRecord Sweep(string id, string name, string experiment, long total) => new()
    {
        Id = id,
        Name = name,
        Experiment = experiment,
        Spec = "{}",
        SpecFormat = "json",
        Status = SweepStatus.Completed,
        TotalTrials = total,
        CreatedAt = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
    };

    public static TrialResult Result(string sweepId, long index, string experiment, Abstractions.Parameters.ParameterSet parameters, int seed, TrialStatus status) => new()
    {
        SweepId = sweepId,
        Index = index,
        Experiment = experiment,
        Parameters = parameters,
        Seed = seed,
        Status = status,
        Attempts = 1,
        WorkerId = "test",
        Device = "cpu",
        StartedAt = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
        FinishedAt = new DateTimeOffset(2026, 11, 27, 10, 0, 1, TimeSpan.Zero),
        DurationMs = DurationOf(index),
        Metrics = ImmutableSortedDictionary<string, double>.Empty,
        Steps = [],
    };
}
