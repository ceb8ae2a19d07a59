using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Grains.Sweeps;

/// <summary>
/// Chooses how many trials a lease takes so that computing it lasts about <paramref name="target"/>: from the measured
/// compute time per trial of each cost class (the device and <see cref="ExperimentDefinition.CostKey"/>, i.e. one fusion
/// key on one kind of device), smoothed over completions. A trial of a class not measured yet counts as
/// <c>target / minimum</c>, so a first lease is a small probe of <paramref name="minimum"/> trials; cheap trials then get
/// big leases and expensive ones small ones, never fewer than <paramref name="minimum"/> (the caller caps the most).
/// Grain-scheduler state: no locking.
/// </summary>
internal sealed class LeaseSizer(ExperimentDefinition experiment, TimeSpan target, int minimum)
{
    /// <summary>Weight of the newest completion in the smoothed cost (exponentially weighted moving average).</summary>
    public const double Smoothing = 0.5;

    /// <summary>Most cost classes remembered (a search over a per-trial shape parameter may make one per trial); the oldest go first.</summary>
    public const int MaxClasses = 4096;

    private readonly Dictionary<string, double> secondsPerTrial = new(StringComparer.Ordinal);
    private readonly Queue<string> classOrder = new();

    /// <summary>The smoothed compute seconds per trial of <paramref name="trial"/>'s class on <paramref name="device"/>; null when not measured yet.</summary>
    public double? SecondsPerTrial(TrialSpec trial, string device) =>
        secondsPerTrial.TryGetValue(Key(device, trial), out var seconds) ? seconds : null;

    /// <summary>
    /// A fresh budget for one lease to <paramref name="device"/>: answers, trial by trial in lease order, whether the
    /// trial still fits. The first <paramref name="minimum"/> trials always fit; after that a trial fits while the
    /// estimated compute time of the lease stays within the target.
    /// </summary>
    public Func<TrialSpec, bool> Budget(string device)
    {
        var count = 0;
        var seconds = 0.0;
        var limit = target.TotalSeconds;
        var unknown = limit / Math.Max(1, minimum);
        return trial =>
        {
            var cost = SecondsPerTrial(trial, device) ?? unknown;
            if (count >= minimum && seconds + cost > limit * (1 + 1e-9))
            {
                return false;
            }

            count++;
            seconds += cost;
            return true;
        };
    }

    /// <summary>Learns from a completion: each class's compute time per trial (the results' <see cref="TrialResult.DurationMs"/>).</summary>
    public void Observe(IEnumerable<TrialResult> results)
    {
        foreach (var measured in results
            .Where(r => double.IsFinite(r.DurationMs) && r.DurationMs >= 0)
            .GroupBy(r => Key(r.Device, r.Parameters), StringComparer.Ordinal))
        {
            var sample = measured.Average(r => r.DurationMs) / 1000.0;
            if (secondsPerTrial.TryGetValue(measured.Key, out var before))
            {
                secondsPerTrial[measured.Key] = before + (Smoothing * (sample - before));
                continue;
            }

            secondsPerTrial[measured.Key] = sample;
            classOrder.Enqueue(measured.Key);
            while (classOrder.Count > MaxClasses)
            {
                secondsPerTrial.Remove(classOrder.Dequeue());
            }
        }
    }

    private string Key(string device, TrialSpec trial) => Key(device, trial.Parameters);

    private string Key(string device, Abstractions.Parameters.ParameterSet parameters) => device + "\u001e" + experiment.CostKey(parameters);
}
