using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage.Entities;

namespace GradDescent.Storage;

/// <summary>The column values of one <c>trials</c> row and its <c>trial_steps</c> rows, ready for a bulk writer.</summary>
internal sealed record TrialRow(TrialEntity Trial, IReadOnlyList<TrialStepEntity> Steps)
{
    public const string OptimizerParameter = "optimizer";
    public const string LearningRateParameter = "learning_rate";

    /// <summary>
    /// Validates a batch, drops repeats of a (sweep, index) already earlier in the batch, and converts the rest.
    /// </summary>
    /// <exception cref="ArgumentException">A result is incomplete or its experiment is unknown; the message names it.</exception>
    public static IReadOnlyList<TrialRow> FromBatch(IReadOnlyList<TrialResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var seen = new HashSet<(string, long)>();
        var rows = new List<TrialRow>(results.Count);
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i] ?? throw new ArgumentException($"results[{i}] is null", nameof(results));
            if (seen.Add((result.SweepId, result.Index)))
            {
                rows.Add(From(result, $"results[{i}]"));
            }
        }

        return rows;
    }

    public static TrialRow From(TrialResult result, string where)
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
        var trial = new TrialEntity
        {
            SweepId = result.SweepId,
            TrialIndex = result.Index,
            Experiment = result.Experiment!,
            Parameters = StoredJson.WriteParameters(result.Parameters!.Values),
            Optimizer = result.Parameters.GetTextOrNull(OptimizerParameter),
            LearningRate = result.Parameters.GetDoubleOrNull(LearningRateParameter),
            Seed = result.Seed,
            Status = StatusText.Of(result.Status),
            Attempts = result.Attempts,
            WorkerId = result.WorkerId!,
            Device = result.Device!,
            StartedAt = result.StartedAt.ToUniversalTime(),
            FinishedAt = result.FinishedAt.ToUniversalTime(),
            DurationMs = result.DurationMs,
            Metrics = StoredJson.WriteMetrics(result.Metrics),
            PrimaryMetric = primary,
            DivergedAtStep = result.DivergedAtStep,
            Error = result.Error,
            Detail = result.DetailJson,
        };

        var metrics = new HashSet<string>(StringComparer.Ordinal);
        var steps = new List<TrialStepEntity>(result.Steps.Length);
        for (var s = 0; s < result.Steps.Length; s++)
        {
            var series = result.Steps[s];
            Require(series is not null && !string.IsNullOrEmpty(series.Metric), where, $"Steps[{s}].Metric", "is empty");
            Require(series!.Values is not null, where, $"Steps[{s}].Values", "is null");
            Require(metrics.Add(series.Metric), where, $"Steps[{s}].Metric", $"'{series.Metric}' appears more than once");
            steps.Add(new TrialStepEntity { SweepId = result.SweepId, TrialIndex = result.Index, Metric = series.Metric, StepValues = series.Values! });
        }

        return new TrialRow(trial, steps);
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

    private static void Require(bool condition, string where, string field, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"{where}.{field} {problem}", "results");
        }
    }
}
