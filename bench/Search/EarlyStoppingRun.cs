using System.Collections.Immutable;
using System.Globalization;
using GradDescent.Abstractions.Search;
using GradDescent.Abstractions.Trials;
using GradDescent.Sweeps;
using GradDescent.Sweeps.Search;
using GradDescent.Sweeps.Tests.Search;

namespace GradDescent.Bench.Search;

/// <summary>
/// A search sweep on <see cref="LinearRegressionObjective"/> with early stopping, as the sweep grain runs one: each
/// generation's trials are judged with the generation's <see cref="SearchDriver.StoppingPlanFor"/> plan over their own
/// loss series (<see cref="EarlyStopping.Simulate"/>, what a worker applies while the fused batch runs), and stored as
/// pruned (the series up to the stop), completed or diverged. Counts the iterations computed.
/// </summary>
internal static class EarlyStoppingRun
{
    public static SweepSpec Spec(string algorithm, int trials, int batch, long seed, string? earlyStopping) =>
        SearchHarness.Parse(Head(algorithm, trials, batch, seed) + (earlyStopping is null ? string.Empty : $"early_stopping: {earlyStopping}\n"));

    private static string Head(string algorithm, int trials, int batch, long seed) => string.Create(CultureInfo.InvariantCulture, $$"""
        name: linreg
        experiment: linear-regression
        parameters: {iterations: 50, init_intercept: -180}
        search:
          algorithm: {{algorithm}}
          trials: {{trials}}
          batch: {{batch}}
          seed: {{seed}}
          space:
            optimizer: {choice: [gd, momentum, rmsprop, adam]}
            learning_rate: {log_uniform: [1.0e-6, 1.0]}

        """);

    /// <summary>Runs the sweep; returns each trial's final mse (null when pruned or diverged) and the iterations computed.</summary>
    public static (double?[] Values, long Iterations, int Pruned, long DivergedIterations) Run(SearchDriver driver)
    {
        var values = new double?[driver.Search.Trials];
        long iterations = 0, divergedIterations = 0;
        var pruned = 0;
        for (var g = 0; g < driver.Generations; g++)
        {
            var plan = driver.StoppingPlanFor(g);
            foreach (var trial in driver.Trials(g))
            {
                var (losses, final) = LinearRegressionObjective.Series(trial.Parameters.GetText("optimizer"), trial.Parameters.GetDouble("learning_rate"));
                // As the worker: a row whose loss went non-finite is diverged and not judged (it runs on); the others are
                // judged at each checkpoint on their own values.
                var firstBad = Array.FindIndex(losses, v => !float.IsFinite(v));
                var rows = new BatchStopping(plan, rows: 1, iterations: losses.Length);
                while (rows.NextCheckpoint is { } checkpoint)
                {
                    rows.Decide((_, iteration) => losses[iteration - 1], _ => firstBad >= 0 && firstBad < checkpoint);
                }

                var stoppedAt = rows.StoppedAt[0];
                TrialStatus status;
                float[] series;
                if (stoppedAt is { } stop)
                {
                    status = TrialStatus.Pruned;
                    series = losses[..stop];
                    pruned++;
                }
                else
                {
                    var diverged = firstBad >= 0 || !double.IsFinite(final);
                    status = diverged ? TrialStatus.Diverged : TrialStatus.Completed;
                    series = losses;
                    values[trial.Index] = diverged ? null : final;
                    divergedIterations += diverged ? series.Length : 0;
                }

                iterations += series.Length;
                var metrics = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, status == TrialStatus.Completed
                    ? [new KeyValuePair<string, double>("mse", final)]
                    : Array.Empty<KeyValuePair<string, double>>());
                driver.Observe(SearchHarness.Result(trial, status, metrics, new StepSeries("loss", series)));
            }
        }

        return (values, iterations, pruned, divergedIterations);
    }
}
