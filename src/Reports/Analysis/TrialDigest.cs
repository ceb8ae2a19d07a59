using GradDescent.Storage.Reports;

namespace GradDescent.Reports.Analysis;

/// <summary>
/// What the comparison needs from a sweep's trials, gathered in one pass over the <c>trial_convergence</c> rows: counts by
/// status, and per configuration its trial count, the completed seeds that came within 1% of the optimum and its best
/// completed trial. It grows with the configurations, not the trials, so a report of a million-trial sweep does not hold
/// the trials (the trials CSV is streamed from the store when it is written).
/// </summary>
public sealed class TrialDigest(int sign)
{
    private readonly Dictionary<string, ConfigurationTrials> configurations = new(StringComparer.Ordinal);

    /// <summary>One configuration's facts.</summary>
    public sealed class ConfigurationTrials
    {
        public long Trials { get; internal set; }

        /// <summary>Completed seeds with a step within 1% of the optimum.</summary>
        public int Reached { get; internal set; }

        /// <summary>Sum of those seeds' iterations to within 1%.</summary>
        public double ReachedIterations { get; internal set; }

        /// <summary>The best completed trial with a primary metric (ties: the lowest index); null if none.</summary>
        public TrialConvergenceRow? Best { get; internal set; }
    }

    public long Stored { get; private set; }

    public long Completed { get; private set; }

    public long Diverged { get; private set; }

    public long Failed { get; private set; }

    public long Pruned { get; private set; }

    /// <summary>The most trials any configuration has (the repeats); 0 when nothing is stored.</summary>
    public long MostTrials => configurations.Count == 0 ? 0 : configurations.Values.Max(c => c.Trials);

    public static TrialDigest From(IEnumerable<TrialConvergenceRow> trials, int sign)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var digest = new TrialDigest(sign);
        foreach (var trial in trials)
        {
            digest.Add(trial);
        }

        return digest;
    }

    public static async Task<TrialDigest> FromAsync(IAsyncEnumerable<TrialConvergenceRow> trials, int sign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var digest = new TrialDigest(sign);
        await foreach (var trial in trials.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            digest.Add(trial);
        }

        return digest;
    }

    public void Add(TrialConvergenceRow trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        Stored++;
        switch (trial.Status)
        {
            case "completed": Completed++; break;
            case "diverged": Diverged++; break;
            case "failed": Failed++; break;
            case "pruned": Pruned++; break;
        }

        if (!configurations.TryGetValue(trial.Parameters, out var configuration))
        {
            configuration = new ConfigurationTrials();
            configurations[trial.Parameters] = configuration;
        }

        configuration.Trials++;
        if (trial.Status != "completed")
        {
            return;
        }

        if (trial.IterationsTo1Pct is { } iterations)
        {
            configuration.Reached++;
            configuration.ReachedIterations += iterations;
        }

        if (trial.PrimaryMetric is { } metric
            && (configuration.Best is not { } best || metric * sign < best.PrimaryMetric!.Value * sign
                || (metric * sign == best.PrimaryMetric!.Value * sign && trial.TrialIndex < best.TrialIndex)))
        {
            configuration.Best = trial;
        }
    }

    /// <returns>The configuration's facts; null when no trial of it is stored.</returns>
    public ConfigurationTrials? Of(string parameters) => configurations.GetValueOrDefault(parameters);
}
