using System.Collections.Immutable;
using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage.Entities;

namespace GradDescent.Storage;

/// <summary>
/// The column values of one <c>trials</c> row and its <c>trial_steps</c> rows, ready for a bulk writer. Every text
/// is made storable on the way in (<see cref="StoredText"/>): NUL and unpaired surrogates replaced, errors and labels
/// cut to length, a detail document that is not valid JSON replaced.
/// </summary>
/// <param name="Artifacts">The trial's storable artefacts (<see cref="ArtifactRow.From"/>).</param>
/// <param name="DroppedArtifacts">Artefacts left out, and why (logged by the store).</param>
internal sealed record TrialRow(
    TrialEntity Trial, IReadOnlyList<TrialStepEntity> Steps, IReadOnlyList<ArtifactRow> Artifacts, IReadOnlyList<(string Name, string Reason)> DroppedArtifacts)
{
    public const string OptimizerParameter = "optimizer";
    public const string LearningRateParameter = "learning_rate";

    /// <summary>
    /// Validates a batch, drops repeats of a (sweep, index) already earlier in the batch, and converts the rest.
    /// </summary>
    /// <exception cref="ArgumentException">A result is incomplete or its experiment is unknown; the message names it.</exception>
    /// <param name="results">The batch.</param>
    /// <param name="maxArtifactBytes">Largest artefact content stored (<see cref="ResultStoreOptions.MaxArtifactBytes"/>).</param>
    public static IReadOnlyList<TrialRow> FromBatch(IReadOnlyList<TrialResult> results, long maxArtifactBytes = ResultStoreOptions.DefaultMaxArtifactBytes)
    {
        ArgumentNullException.ThrowIfNull(results);
        var seen = new HashSet<(string, long)>();
        var rows = new List<TrialRow>(results.Count);
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i] ?? throw new ArgumentException($"results[{i}] is null", nameof(results));
            if (seen.Add((result.SweepId, result.Index)))
            {
                rows.Add(From(result, $"results[{i}]", maxArtifactBytes));
            }
        }

        return rows;
    }

    public static TrialRow From(TrialResult result, string where, long maxArtifactBytes = ResultStoreOptions.DefaultMaxArtifactBytes)
    {
        Require(!string.IsNullOrEmpty(result.SweepId), where, "SweepId", "is empty");
        Require(result.Index >= 0, where, "Index", $"is {result.Index}, must be >= 0");
        Require(result.Parameters is not null, where, "Parameters", "is null");
        Require(result.Metrics is not null, where, "Metrics", "is null");
        Require(!result.Steps.IsDefault, where, "Steps", "is a default (uninitialized) array");
        Require(result.WorkerId is not null, where, "WorkerId", "is null");
        Require(result.Device is not null, where, "Device", "is null");
        var definition = ExperimentCatalog.Find(result.Experiment ?? string.Empty);
        Require(definition is not null, where, "Experiment",
            $"'{result.Experiment}' is not a known experiment (known: {string.Join(", ", ExperimentCatalog.All.Select(e => e.Name))})");

        var primary = result.Metrics!.TryGetValue(definition!.PrimaryMetric, out var value) && double.IsFinite(value) ? value : (double?)null;
        var parameters = CleanKeys(result.Parameters!.Values, clean => StoredText.Clean(clean));
        var trial = new TrialEntity
        {
            SweepId = result.SweepId,
            TrialIndex = result.Index,
            Experiment = result.Experiment!,
            Parameters = StoredJson.WriteParameters(parameters),
            Optimizer = parameters.GetValueOrDefault(OptimizerParameter),
            LearningRate = parameters.TryGetValue(LearningRateParameter, out var rate)
                && double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) ? parsed : null,
            Seed = result.Seed,
            Status = StatusText.Of(result.Status),
            Attempts = result.Attempts,
            WorkerId = StoredText.Clean(result.WorkerId!, StoredText.MaxLabelLength),
            Device = StoredText.Clean(result.Device!, StoredText.MaxLabelLength),
            StartedAt = result.StartedAt.ToUniversalTime(),
            FinishedAt = result.FinishedAt.ToUniversalTime(),
            DurationMs = double.IsFinite(result.DurationMs) ? result.DurationMs : 0,
            Metrics = StoredJson.WriteMetrics(CleanKeys(result.Metrics, metric => metric)),
            PrimaryMetric = primary,
            DivergedAtStep = result.DivergedAtStep,
            Error = result.Error is null ? null : StoredText.Clean(result.Error, StoredText.MaxErrorLength),
            Detail = result.DetailJson is null ? null : StoredText.CleanDocument(result.DetailJson),
        };

        var metrics = new HashSet<string>(StringComparer.Ordinal);
        var steps = new List<TrialStepEntity>(result.Steps.Length);
        for (var s = 0; s < result.Steps.Length; s++)
        {
            var series = result.Steps[s];
            Require(series is not null && !string.IsNullOrEmpty(series.Metric), where, $"Steps[{s}].Metric", "is empty");
            Require(series!.Values is not null, where, $"Steps[{s}].Values", "is null");
            var metric = StoredText.Clean(series.Metric, StoredText.MaxLabelLength);
            Require(metrics.Add(metric), where, $"Steps[{s}].Metric", $"'{metric}' appears more than once");
            steps.Add(new TrialStepEntity { SweepId = result.SweepId, TrialIndex = result.Index, Metric = metric, StepValues = series.Values! });
        }

        var dropped = new List<(string Name, string Reason)>();
        var artifacts = result.Artifacts.IsDefaultOrEmpty ? [] : ArtifactRow.From(result.Artifacts, maxArtifactBytes, dropped);
        return new TrialRow(trial, steps, artifacts, dropped);
    }

    /// <summary>
    /// What is stored instead of a row the database refused for a reason that retrying cannot fix: the same trial as
    /// failed, with the reason, its parameters and nothing else (no steps, no artefacts), so the sweep can finish. With <paramref name="bare"/>,
    /// without the parameters either (when they were the problem).
    /// </summary>
    public static TrialRow Unstorable(TrialRow row, string reason, bool bare = false)
    {
        ArgumentNullException.ThrowIfNull(row);
        var trial = new TrialEntity
        {
            SweepId = row.Trial.SweepId,
            TrialIndex = row.Trial.TrialIndex,
            Experiment = row.Trial.Experiment,
            Parameters = bare ? "{}" : row.Trial.Parameters,
            Optimizer = bare ? null : row.Trial.Optimizer,
            LearningRate = bare ? null : row.Trial.LearningRate,
            Seed = row.Trial.Seed,
            Status = StatusText.Failed,
            Attempts = row.Trial.Attempts,
            WorkerId = bare ? "unknown" : row.Trial.WorkerId,
            Device = bare ? "unknown" : row.Trial.Device,
            StartedAt = row.Trial.StartedAt,
            FinishedAt = row.Trial.FinishedAt,
            DurationMs = row.Trial.DurationMs,
            Metrics = "{}",
            Error = StoredText.Clean(reason, StoredText.MaxErrorLength),
        };
        return new TrialRow(trial, [], [], []);
    }

    /// <summary>The stored result back as a <see cref="TrialResult"/>, without step series.</summary>
    public static TrialResult ToResult(TrialEntity trial)
    {
        var where = $"trials row ({trial.SweepId}, {trial.TrialIndex})";
        return new TrialResult
        {
            SweepId = trial.SweepId,
            Index = trial.TrialIndex,
            Experiment = trial.Experiment,
            Parameters = new(StoredJson.ReadParameters(trial.Parameters, where + " parameters")),
            Seed = trial.Seed,
            Status = StatusText.ParseTrial(trial.Status),
            Attempts = trial.Attempts,
            WorkerId = trial.WorkerId,
            Device = trial.Device,
            StartedAt = trial.StartedAt,
            FinishedAt = trial.FinishedAt,
            DurationMs = trial.DurationMs,
            Metrics = StoredJson.ReadMetrics(trial.Metrics, where + " metrics"),
            Steps = ImmutableArray<StepSeries>.Empty,
            DivergedAtStep = trial.DivergedAtStep,
            Error = trial.Error,
            DetailJson = trial.Detail,
        };
    }

    /// <summary>The dictionary with clean keys (and values, through <paramref name="value"/>); itself when nothing changes.</summary>
    private static ImmutableSortedDictionary<string, T> CleanKeys<T>(ImmutableSortedDictionary<string, T> values, Func<T, T> value)
    {
        if (values.All(kv => ReferenceEquals(StoredText.Clean(kv.Key, StoredText.MaxLabelLength), kv.Key) && Equals(value(kv.Value), kv.Value)))
        {
            return values;
        }

        var clean = ImmutableSortedDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        foreach (var (key, item) in values)
        {
            clean[StoredText.Clean(key, StoredText.MaxLabelLength)] = value(item);
        }

        return clean.ToImmutable();
    }

    private static void Require(bool condition, string where, string field, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"{where}.{field} {problem}", "results");
        }
    }
}
