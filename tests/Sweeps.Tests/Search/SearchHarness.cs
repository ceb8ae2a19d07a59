using System.Collections.Immutable;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Trials;
using GradDescent.Sweeps.Search;

namespace GradDescent.Sweeps.Tests.Search;

/// <summary>Runs a search sweep against a closed-form objective, as the sweep grain would run it against workers.</summary>
public static class SearchHarness
{
    public static SweepSpec Parse(string text) => SweepSpecParser.Parse(text, "search.yaml");

    /// <summary>
    /// Proposes every generation, finishing (and observing) the oldest generations only when the next
    /// one needs them, so <c>parallel_batches</c> generations are in flight as on a cluster. Returns the
    /// observations by trial index.
    /// </summary>
    public static List<TrialResult> Run(SearchDriver driver, Func<ParameterSet, double> objective) =>
        Run(driver, p => new Dictionary<string, double> { ["mse"] = objective(p) });

    /// <summary>As <see cref="Run(SearchDriver, Func{ParameterSet, double})"/>, with every metric a trial reports.</summary>
    public static List<TrialResult> Run(SearchDriver driver, Func<ParameterSet, IReadOnlyDictionary<string, double>> metrics)
    {
        var results = new List<TrialResult>();
        var inFlight = new Queue<int>();
        for (var g = 0; g < driver.Generations; g++)
        {
            while (!driver.IsReady(g))
            {
                Finish(driver, inFlight.Dequeue(), metrics, results);
            }

            driver.Points(g);
            inFlight.Enqueue(g);
        }

        while (inFlight.Count > 0)
        {
            Finish(driver, inFlight.Dequeue(), metrics, results);
        }

        return [.. results.OrderBy(r => r.Index)];
    }

    /// <summary>Best value so far after each trial, in trial order.</summary>
    public static double[] BestSoFar(IEnumerable<TrialResult> results)
    {
        var best = double.PositiveInfinity;
        return [.. results.OrderBy(r => r.Index).Select(r => best = Math.Min(best, r.Metrics["mse"]))];
    }

    public static TrialResult Result(TrialPoint trial, TrialStatus status, ImmutableSortedDictionary<string, double> metrics, params StepSeries[] steps) => new()
    {
        SweepId = "search-test",
        Index = trial.Index,
        Experiment = "linear-regression",
        Parameters = trial.Parameters,
        Seed = trial.Seed,
        Status = status,
        Attempts = 1,
        WorkerId = "test",
        Device = "cpu",
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch,
        DurationMs = 0,
        Metrics = metrics,
        Steps = [.. steps],
    };

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
    }

    private static void Finish(SearchDriver driver, int generation, Func<ParameterSet, IReadOnlyDictionary<string, double>> metrics, List<TrialResult> results)
    {
        foreach (var trial in driver.Trials(generation))
        {
            var result = Result(trial, TrialStatus.Completed, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, metrics(trial.Parameters)));
            driver.Observe(result);
            results.Add(result);
        }
    }
}
