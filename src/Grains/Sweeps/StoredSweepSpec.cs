using GradDescent.Abstractions.Storage;
using GradDescent.Sweeps;

namespace GradDescent.Grains.Sweeps;

/// <summary>Parses a stored sweep's spec as the control plane reads it (the sweep's own size allowed, whatever the limit now).</summary>
internal static class StoredSweepSpec
{
    /// <exception cref="SweepSpecException">The stored text no longer parses.</exception>
    public static SweepSpec Parse(SweepRecord sweep, SweepOptions options) =>
        SweepSpecParser.Parse(sweep.Spec, $"sweep {sweep.Id}", new SweepSpecLimits { MaxTrials = Math.Max(options.MaxTrials, sweep.TotalTrials) });
}
