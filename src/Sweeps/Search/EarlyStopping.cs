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
    /// Runs a plan over whole step series, as a worker applies it while a fused batch runs
    /// (<see cref="BatchStopping"/>): each row is judged on its own values only, at every checkpoint before its last
    /// iteration. Returns each row's stop iteration, or null.
    /// </summary>
    public static int?[] Simulate(StoppingPlan plan, IReadOnlyList<IReadOnlyList<float>> series)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(series);
        var stoppedAt = new int?[series.Count];
        for (var row = 0; row < series.Count; row++)
        {
            var values = series[row];
            var batch = new BatchStopping(plan, rows: 1, iterations: values.Count);
            while (batch.NextCheckpoint is not null)
            {
                batch.Decide((_, iteration) => values[iteration - 1], _ => false);
            }

            stoppedAt[row] = batch.StoppedAt[0];
        }

        return stoppedAt;
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
