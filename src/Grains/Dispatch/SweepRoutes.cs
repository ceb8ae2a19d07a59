using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Grains.Sweeps;
using GradDescent.Sweeps;

namespace GradDescent.Grains.Dispatch;

/// <summary>The <see cref="SweepRoute"/> of a sweep: its spec's placement and its experiment's preferred device.</summary>
internal static class SweepRoutes
{
    public static SweepRoute Of(SweepSpec spec) =>
        new(spec.Placement, ExperimentCatalog.Find(spec.Experiment)?.PreferredDevice ?? DeviceKinds.Cpu);

    /// <summary>The route of a stored sweep; <see cref="SweepRoute.Anywhere"/> when its spec no longer parses (its grain fails it on load).</summary>
    public static SweepRoute Of(SweepRecord sweep, SweepOptions options)
    {
        try
        {
            return Of(StoredSweepSpec.Parse(sweep, options));
        }
        catch (SweepSpecException)
        {
            return SweepRoute.Anywhere;
        }
    }
}
