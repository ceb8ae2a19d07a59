using System.Text.Json.Nodes;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Workers.Experiments;

/// <summary>
/// What one trial computed: final metrics, per-step series and the experiment's result document without per-step
/// data, stored with the trial. What <c>graddescent trial --json</c> prints is <see cref="ToDocument"/>: the document
/// plus <c>history</c> (the host adds <c>device</c>). Keeping history out of it keeps fused batches of thousands of
/// trials cheap: the steps are stored once, as the <see cref="History"/> arrays.
/// <para>
/// The document comes either as a <see cref="JsonObject"/> (serialised once, when <see cref="DetailJson"/> is first
/// read) or already serialised, as an experiment that writes a fused batch's documents straight from its columns
/// gives it (parsed only if someone reads <see cref="Detail"/>). The stored text is <see cref="DetailJson"/> either way.
/// </para>
/// </summary>
public sealed record TrialOutcome
{
    private JsonObject? detail;
    private string? detailJson;

    /// <param name="metrics">Final scalar metrics (include the definition's primary metric).</param>
    /// <param name="history">Per-step metrics, each series one value per iteration.</param>
    /// <param name="detail">The result document without per-step data.</param>
    /// <param name="divergedAtStep">First step whose loss or parameters were NaN/infinite; null if none.</param>
    /// <param name="prunedAt">The iteration the lease's early-stopping plan stopped the trial at; null when it ran to its end.</param>
    public TrialOutcome(
        IReadOnlyDictionary<string, double> metrics,
        IReadOnlyList<StepSeries> history,
        JsonObject detail,
        int? divergedAtStep,
        int? prunedAt = null)
    {
        ArgumentNullException.ThrowIfNull(detail);
        Metrics = metrics;
        History = history;
        this.detail = detail;
        DivergedAtStep = divergedAtStep;
        PrunedAt = prunedAt;
    }

    /// <param name="metrics">Final scalar metrics (include the definition's primary metric).</param>
    /// <param name="history">Per-step metrics, each series one value per iteration.</param>
    /// <param name="detailJson">The result document without per-step data, as JSON text (an object).</param>
    /// <param name="divergedAtStep">First step whose loss or parameters were NaN/infinite; null if none.</param>
    /// <param name="prunedAt">The iteration the lease's early-stopping plan stopped the trial at; null when it ran to its end.</param>
    public TrialOutcome(
        IReadOnlyDictionary<string, double> metrics,
        IReadOnlyList<StepSeries> history,
        string detailJson,
        int? divergedAtStep,
        int? prunedAt = null)
    {
        ArgumentNullException.ThrowIfNull(detailJson);
        Metrics = metrics;
        History = history;
        this.detailJson = detailJson;
        DivergedAtStep = divergedAtStep;
        PrunedAt = prunedAt;
    }

    /// <summary>Final scalar metrics (include the definition's primary metric).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>Per-step metrics, each series one value per iteration.</summary>
    public IReadOnlyList<StepSeries> History { get; init; }

    /// <summary>First step whose loss or parameters were NaN/infinite; null if none.</summary>
    public int? DivergedAtStep { get; init; }

    /// <summary>The result document without per-step data (parsed from <see cref="DetailJson"/> when given as text).</summary>
    public JsonObject Detail => detail ??= JsonNode.Parse(detailJson!)!.AsObject();

    /// <summary>The result document as stored: JSON text of <see cref="Detail"/>.</summary>
    public string DetailJson => detailJson ??= detail!.ToJsonString();

    /// <summary>
    /// The iteration the lease's early-stopping plan stopped the trial at (its series end there and its metrics are
    /// those of that step); null when it ran to its end.
    /// </summary>
    public int? PrunedAt { get; init; }

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
