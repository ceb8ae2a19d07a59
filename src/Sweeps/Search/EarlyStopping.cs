using System.Collections.Immutable;
using GradDescent.Abstractions.Search;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// The control-plane side of early stopping: from the finished trials a generation may see, the
/// <see cref="StoppingPlan"/> its fused batches carry (ASHA's rung histories, the median rule's medians),
/// and <see cref="Simulate"/>, which applies a plan to whole step series exactly as a worker applies it
/// while the batch runs.
/// </summary>
public static class EarlyStopping
{
    /// <summary>
    /// The plan for a generation whose trials run at most <paramref name="maxIterations"/> iterations, built
    /// from <paramref name="visible"/> (the finished trials it may see; their
    /// <see cref="TrialObservation.Evaluations"/>). ASHA: a checkpoint per rung k at the first evaluation
    /// iteration ≥ <c>min_iterations·η^k</c> before the last iteration, with every value recorded there.
    /// Median: a checkpoint at every evaluation iteration from <c>min_iterations</c> on, with the median of
    /// the completed trials' values there (null while fewer than <c>startup_trials</c> trials completed).
    /// </summary>
    public static StoppingPlan BuildPlan(EarlyStoppingSpec spec, bool maximize, IEnumerable<TrialObservation> visible, int maxIterations)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(visible);
        var observations = visible.Where(o => o.Informs).ToList();
        var checkpoints = ImmutableArray.CreateBuilder<StoppingCheckpoint>();
        if (spec.Rule == EarlyStoppingRule.Asha)
        {
            long target = spec.MinIterations;
            for (var rung = 0; ; rung++)
            {
                var iteration = CeilingToStep(target, spec.MetricStep);
                if (iteration >= maxIterations)
                {
                    break;
                }

                var history = observations
                    .Select(o => ValueAt(o, (int)iteration, spec.MetricStep))
                    .Where(v => !double.IsNaN(v))
                    .Order()
                    .ToImmutableArray();
                checkpoints.Add(new StoppingCheckpoint((int)iteration, rung, history, null));
                target = checked(target * spec.ReductionFactor);
            }
        }
        else
        {
            var completed = observations.Where(o => o.Kind == ObservationKind.Completed).ToList();
            for (var iteration = CeilingToStep(spec.MinIterations, spec.MetricStep); iteration < maxIterations; iteration += spec.MetricStep)
            {
                var values = completed.Select(o => ValueAt(o, (int)iteration, spec.MetricStep)).Where(v => !double.IsNaN(v)).ToList();
                double? median = completed.Count >= spec.StartupTrials && values.Count > 0 ? Median(values) : null;
                checkpoints.Add(new StoppingCheckpoint((int)iteration, -1, [], median));
            }
        }

        return new StoppingPlan(spec.Rule, spec.Metric, maximize, spec.MetricStep, spec.ReductionFactor, checkpoints.ToImmutable());
    }

    /// <summary>
    /// Runs a plan over the whole step series of one fused batch (rows that ran every iteration), as the
    /// worker does while it runs: at each checkpoint the live rows' values (and best values so far) are
    /// compared, and stopped rows take no further part. Returns each row's stop iteration, or null.
    /// </summary>
    public static int?[] Simulate(StoppingPlan plan, IReadOnlyList<IReadOnlyList<float>> series)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(series);
        var rows = series.Count;
        var stoppedAt = new int?[rows];
        var alive = new bool[rows];
        Array.Fill(alive, true);
        var best = new double[rows];
        Array.Fill(best, double.NaN);
        var current = new double[rows];
        var stop = new bool[rows];
        var evaluated = 0;
        foreach (var checkpoint in plan.Checkpoints)
        {
            // The worker updates each row's best at every evaluation iteration, not only at checkpoints.
            for (; evaluated + plan.MetricStep <= checkpoint.Iteration; evaluated += plan.MetricStep)
            {
                for (var row = 0; row < rows; row++)
                {
                    if (alive[row] && evaluated + plan.MetricStep <= series[row].Count)
                    {
                        best[row] = Better(plan.Maximize, best[row], series[row][evaluated + plan.MetricStep - 1]);
                    }
                }
            }

            for (var row = 0; row < rows; row++)
            {
                // A row whose series ends before the checkpoint has finished: it no longer competes.
                alive[row] &= stoppedAt[row] is null && checkpoint.Iteration < series[row].Count;
                current[row] = alive[row] ? series[row][checkpoint.Iteration - 1] : double.NaN;
                stop[row] = false;
            }

            plan.Decide(checkpoint, current, best, alive, stop);
            for (var row = 0; row < rows; row++)
            {
                if (stop[row])
                {
                    stoppedAt[row] = checkpoint.Iteration;
                    alive[row] = false;
                }
            }
        }

        return stoppedAt;
    }

    /// <summary>The better of two values (NaN counts as missing unless both are).</summary>
    public static double Better(bool maximize, double a, double b)
    {
        if (double.IsNaN(a))
        {
            return b;
        }

        if (double.IsNaN(b))
        {
            return a;
        }

        return maximize ? Math.Max(a, b) : Math.Min(a, b);
    }

    private static double ValueAt(TrialObservation observation, int iteration, int metricStep)
    {
        var k = (iteration / metricStep) - 1;
        return k < observation.Evaluations.Length ? observation.Evaluations[k] : double.NaN;
    }

    private static long CeilingToStep(long iterations, int step) => (iterations + step - 1) / step * step;

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : 0.5 * (values[middle - 1] + values[middle]);
    }
}
