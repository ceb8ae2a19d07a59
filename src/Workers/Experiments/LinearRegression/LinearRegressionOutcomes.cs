using GradDescent.Abstractions.Trials;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// Turns a fused run into its trials' <see cref="TrialOutcome"/>s, by column: the final metrics of the whole group
/// are one <see cref="MetricColumns"/> (each trial reads its row), the step series are the run's own per-trial
/// arrays, and each result document is written straight from the numbers (<see cref="LinearRegressionDocuments"/>).
/// A trial's series hold every iteration it ran: all of them, or, for a trial an early-stopping plan stopped, those up
/// to where it stopped (its metrics are those of that step and <see cref="TrialOutcome.PrunedAt"/> says where). A
/// diverged trial's series end at (and include) the first step whose loss, slope or intercept is NaN or infinite
/// (<see cref="FirstNonFinite"/>); its final metrics are reported as computed (usually NaN), and non-finite numbers
/// appear as null in its document.
/// </summary>
internal static class LinearRegressionOutcomes
{
    /// <summary>The metrics of every trial, in the order a trial lists them.</summary>
    public static readonly IReadOnlyList<string> MetricNames =
        ["slope", "intercept", "loss", "mse", "exact_slope", "exact_intercept", "exact_mse", "mse_gap"];

    /// <param name="run">The fused run, B trials.</param>
    /// <param name="data">The data the group fitted.</param>
    /// <param name="optimizer">The group's optimizer.</param>
    /// <param name="learningRates">Each trial's learning rate, B values.</param>
    public static TrialOutcome[] Build(LinearRegressionTrajectories run, HeightWeightData data, string optimizer, IReadOnlyList<double> learningRates)
    {
        var trials = run.FinalMse.Length;
        var diverged = FirstNonFinite(run);
        var metrics = new MetricColumns(MetricNames, trials);
        var (slope, intercept, loss, mse) = (metrics.Column("slope"), metrics.Column("intercept"), metrics.Column("loss"), metrics.Column("mse"));
        var gap = metrics.Column("mse_gap");
        var exact = data.Exact;
        Array.Fill(metrics.Column("exact_slope"), exact.Slope);
        Array.Fill(metrics.Column("exact_intercept"), exact.Intercept);
        Array.Fill(metrics.Column("exact_mse"), exact.Mse);
        var documents = new LinearRegressionDocuments(data, optimizer);
        var outcomes = new TrialOutcome[trials];
        for (var b = 0; b < trials; b++)
        {
            var ran = Ran(run, b);
            var last = ran - 1;
            var (finalSlope, finalIntercept, finalLoss, finalMse) = (run.Slope[b][last], run.Intercept[b][last], run.Loss[b][last], run.FinalMse[b]);
            slope[b] = finalSlope;
            intercept[b] = finalIntercept;
            loss[b] = finalLoss;
            mse[b] = finalMse;
            gap[b] = finalMse - exact.Mse;
            var kept = diverged[b] < 0 ? ran : diverged[b] + 1;
            StepSeries[] history =
            [
                new("loss", Prefix(run.Loss[b], kept)),
                new("slope", Prefix(run.Slope[b], kept)),
                new("intercept", Prefix(run.Intercept[b], kept)),
            ];
            var detail = documents.Write(finalSlope, finalIntercept, finalLoss, finalMse, learningRates[b], ran);
            outcomes[b] = new TrialOutcome(metrics.Row(b), history, detail, diverged[b] < 0 ? null : diverged[b], run.StoppedAt[b]);
        }

        return outcomes;
    }

    /// <summary>
    /// Each trial's first step (among those it ran) whose loss, slope or intercept is NaN or infinite; -1 where there
    /// is none.
    /// </summary>
    public static int[] FirstNonFinite(LinearRegressionTrajectories run)
    {
        var first = new int[run.FinalMse.Length];
        for (var b = 0; b < first.Length; b++)
        {
            var (loss, slope, intercept) = (run.Loss[b], run.Slope[b], run.Intercept[b]);
            var ran = Ran(run, b);
            first[b] = -1;
            for (var i = 0; i < ran; i++)
            {
                if (!float.IsFinite(loss[i]) || !float.IsFinite(slope[i]) || !float.IsFinite(intercept[i]))
                {
                    first[b] = i;
                    break;
                }
            }
        }

        return first;
    }

    /// <summary>How many iterations the trial ran: to its end, or to where the early-stopping plan stopped it.</summary>
    private static int Ran(LinearRegressionTrajectories run, int trial) => run.StoppedAt[trial] ?? run.Loss[trial].Length;

    private static float[] Prefix(float[] values, int count) => count == values.Length ? values : values[..count];
}
