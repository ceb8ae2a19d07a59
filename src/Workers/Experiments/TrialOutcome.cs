using System.Text.Json.Nodes;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Workers.Experiments;

/// <summary>What one trial computed.</summary>
/// <param name="Metrics">Final scalar metrics (include the definition's primary metric).</param>
/// <param name="History">Per-step metrics, each series one value per iteration.</param>
/// <param name="Detail">
/// The experiment's result document: exactly the JSON object <c>graddescent trial --json</c> prints
/// (the host adds <c>device</c>), also stored with the trial.
/// </param>
/// <param name="DivergedAtStep">First step whose loss or parameters were NaN/infinite; null if none.</param>
public sealed record TrialOutcome(
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<StepSeries> History,
    JsonObject Detail,
    int? DivergedAtStep)
{
    public TrialStatus Status => DivergedAtStep is null ? TrialStatus.Completed : TrialStatus.Diverged;
}
