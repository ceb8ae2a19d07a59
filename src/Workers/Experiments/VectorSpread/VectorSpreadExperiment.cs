using System.Text.Json.Nodes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Trials;
using TorchSharp;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// Article Example 2: spread N unit vectors in D dimensions as far apart as possible by gradient
/// ascent on one of three objectives, with the article's rule (<c>ascent</c>) or any shared optimizer.
/// </summary>
public sealed class VectorSpreadExperiment : IExperiment
{
    private static readonly string[] RequiredNames =
        ["vectors", "dims", "method", "optimizer", "learning_rate", "iterations", "lr_decay", "lr_decay_every"];

    public ExperimentDefinition Definition => VectorSpreadDefinition.Instance;

    /// <summary>
    /// Re-checks every value against the definition (so a hand-built set fails as <c>Bind</c> would)
    /// and that the parameters this experiment needs are present.
    /// </summary>
    public void Validate(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (name, value) in parameters.Values)
        {
            var definition = Definition.Find(name) ?? throw new ParameterException(
                name, $"unknown parameter for experiment '{Definition.Name}'");
            definition.Canonicalize(value);
        }

        foreach (var name in RequiredNames)
        {
            if (!parameters.Has(name))
            {
                throw new ParameterException(name, "no value was bound");
            }
        }
    }

    public string FusionKey(ParameterSet parameters) => SpreadSettings.From(parameters).FusionKey();

    public IReadOnlyList<TrialOutcome> RunFused(IReadOnlyList<TrialInput> trials, torch.Device device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(device);
        if (trials.Count == 0)
        {
            return [];
        }

        foreach (var trial in trials)
        {
            Validate(trial.Parameters);
        }

        var settings = SpreadSettings.From(trials[0].Parameters);
        var key = settings.FusionKey();
        for (var i = 1; i < trials.Count; i++)
        {
            if (FusionKey(trials[i].Parameters) != key)
            {
                throw new ArgumentException($"trial {i} has fusion key '{FusionKey(trials[i].Parameters)}', not the group's '{key}'", nameof(trials));
            }
        }

        var results = new FusedSpreadRun(settings, trials, device).Execute(cancellationToken);
        var optimum = KnownOptima.MinAngleDegrees(settings.Vectors, settings.Dims);
        return results.Select(r => ToOutcome(settings, r, optimum)).ToList();
    }

    private static TrialOutcome ToOutcome(SpreadSettings settings, SpreadTrialResult result, double? optimum)
    {
        // Final values come from finite vectors (a diverged trial keeps its last finite ones), so
        // they are finite except in the degenerate case of a start that is already non-finite.
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        AddFinite(metrics, "min_angle_deg", result.FinalMinAngleDegrees);
        AddFinite(metrics, "objective", result.FinalObjective);
        if (optimum is { } best)
        {
            metrics["known_optimum_deg"] = best;
            AddFinite(metrics, "gap_deg", best - result.FinalMinAngleDegrees);
        }

        var vectors = new JsonArray();
        foreach (var row in result.Vectors)
        {
            vectors.Add(new JsonArray(row.Select(x => (JsonNode?)Number(x)).ToArray()));
        }

        var detail = new JsonObject
        {
            ["min_angle_deg"] = Number(result.FinalMinAngleDegrees),
            ["known_optimum_deg"] = optimum is { } known ? JsonValue.Create(known) : null,
            ["method"] = settings.Method,
            ["optimizer"] = settings.Optimizer,
            ["vectors"] = vectors,
        };

        StepSeries[] series =
        [
            new("min_angle_deg", result.MinAngleDegrees),
            new("objective", result.Objective),
        ];
        return new TrialOutcome(metrics, series, detail, result.DivergedAtStep);
    }

    private static void AddFinite(Dictionary<string, double> metrics, string name, double value)
    {
        if (double.IsFinite(value))
        {
            metrics[name] = value;
        }
    }

    /// <summary>A JSON number (float32 written in its shortest form), or null for NaN and infinity, which JSON cannot hold.</summary>
    private static JsonValue? Number(float value) => float.IsFinite(value) ? JsonValue.Create(value) : null;
}
