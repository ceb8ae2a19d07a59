using System.Text.Json.Nodes;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Workers.Experiments;

/// <summary>What one trial computed.</summary>
/// <param name="Metrics">Final scalar metrics (include the definition's primary metric).</param>
/// <param name="History">Per-step metrics, each series one value per iteration.</param>
/// <param name="Detail">
/// The experiment's result document without per-step data, stored with the trial. What
/// <c>graddescent trial --json</c> prints is <see cref="ToDocument"/>: this plus <c>history</c> (the host
/// adds <c>device</c>). Keeping history out of it keeps fused batches of thousands of trials cheap:
/// the steps are stored once, as the <see cref="History"/> arrays.
/// </param>
/// <param name="DivergedAtStep">First step whose loss or parameters were NaN/infinite; null if none.</param>
/// <param name="PrunedAt">
/// The iteration the lease's early-stopping plan stopped the trial at (its series end there and its metrics are
/// those of that step); null when it ran to its end.
/// </param>
public sealed record TrialOutcome(
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<StepSeries> History,
    JsonObject Detail,
    int? DivergedAtStep,
    int? PrunedAt = null)
{
    public TrialStatus Status => DivergedAtStep is not null ? TrialStatus.Diverged
        : PrunedAt is not null ? TrialStatus.Pruned
        : TrialStatus.Completed;

    /// <summary>
    /// Files stored with the trial for reports (images, the data set); content shared by the trials of a fused group is
    /// carried by one of them and referenced by hash from the others (<see cref="TrialArtifact.AsReference"/>).
    /// </summary>
    public IReadOnlyList<TrialArtifact> Artifacts { get; init; } = [];

    /// <summary>
    /// The full result document: <see cref="Detail"/> plus <c>history</c>, one object per step with
    /// <c>step</c> and every series' value at it (null where a value is NaN or infinite, or where a
    /// series is shorter).
    /// </summary>
    public JsonObject ToDocument()
    {
        var document = (JsonObject)Detail.DeepClone();
        var steps = History.Count == 0 ? 0 : History.Max(s => s.Values.Length);
        var history = new JsonArray();
        for (var step = 0; step < steps; step++)
        {
            var entry = new JsonObject { ["step"] = step };
            foreach (var series in History)
            {
                entry[series.Metric] = step < series.Values.Length && float.IsFinite(series.Values[step])
                    ? JsonValue.Create(series.Values[step])
                    : null;
            }

            history.Add(entry);
        }

        document["history"] = history;
        return document;
    }
}
