using System.Text.Json;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;
using GradDescent.Abstractions.Trials;
using TorchSharp;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// Article Example 2: spread N unit vectors in D dimensions as far apart as possible by gradient
/// ascent on one of four objectives, with the article's rule (<c>ascent</c>) or any shared optimizer,
/// from one or more random starts per trial. docs/vector-spread.md describes the methods.
/// </summary>
public sealed class VectorSpreadExperiment : IExperiment
{
    private static readonly string[] RequiredNames =
        ["vectors", "dims", "method", "optimizer", "learning_rate", "iterations", "lr_decay", "lr_decay_every", "restarts"];

    private static readonly string[] EnergyNames = ["energy_s", "energy_s_final"];

    /// <summary>Which program runs a group: chosen by device and settings, or forced (tests compare the two).</summary>
    internal enum Program
    {
        Auto,
        Tensor,
        Kernel,
    }

    public ExperimentDefinition Definition => VectorSpreadDefinition.Instance;

    /// <summary>
    /// Re-checks every value against the definition (so a hand-built set fails as <c>Bind</c> would),
    /// that the parameters this experiment needs are present, and that the energy exponents are given
    /// exactly when the method is energy.
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

        var energy = parameters.GetText("method") == VectorSpreadDefinition.Energy;
        foreach (var name in EnergyNames)
        {
            if (energy && !parameters.Has(name))
            {
                throw new ParameterException(name, "no value was bound");
            }

            if (!energy && parameters.Has(name))
            {
                throw new ParameterException(name, $"applies only to method {VectorSpreadDefinition.Energy}, not {parameters.GetText("method")}");
            }
        }
    }

    public string FusionKey(ParameterSet parameters) => SpreadSettings.From(parameters).FusionKey();

    public IReadOnlyList<TrialOutcome> RunFused(IReadOnlyList<TrialInput> trials, torch.Device device, CancellationToken cancellationToken) =>
        Run(trials, device, Program.Auto, null, cancellationToken);

    /// <param name="starts">
    /// Starting vectors of every lane ([trials · restarts, N, D] row-major, normalised here), or null
    /// for each trial's seeded random start.
    /// </param>
    internal IReadOnlyList<TrialOutcome> Run(
        IReadOnlyList<TrialInput> trials, torch.Device device, Program program, float[]? starts, CancellationToken cancellationToken)
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

        var lanes = new SpreadLanes(settings, trials);
        var kernel = program switch
        {
            Program.Kernel => true,
            Program.Tensor => false,
            _ => KernelSpreadRun.Supports(settings, device),
        };
        using var start = starts is null ? SpreadStarts.Draw(settings, trials) : SpreadStarts.From(settings, lanes.Count, starts);
        var results = kernel
            ? new KernelSpreadRun(lanes, start.data<float>().ToArray()).Execute(cancellationToken)
            : new FusedSpreadRun(lanes, start, device).Execute(cancellationToken);
        var optimum = KnownOptima.MinAngleDegrees(settings.Vectors, settings.Dims);
        return results.BestPerTrial(settings.Restarts).Select(r => ToOutcome(settings, r, optimum)).ToList();
    }

    private static TrialOutcome ToOutcome(SpreadSettings settings, SpreadTrialResult result, double? optimum)
    {
        // Final values come from finite vectors (a diverged trial keeps its last finite ones), so
        // they are finite except in the degenerate case of a start that is already non-finite.
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        AddFinite(metrics, "min_angle_deg", result.FinalMinAngleDegrees);
        AddFinite(metrics, "objective", result.FinalObjective);
        double? gap = null;
        if (optimum is { } best)
        {
            metrics["known_optimum_deg"] = best;
            gap = best - result.FinalMinAngleDegrees;
            AddFinite(metrics, "gap_deg", gap.Value);
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
            ["gap_deg"] = gap is { } g && double.IsFinite(g) ? JsonValue.Create(g) : null,
            ["method"] = settings.Method,
            ["optimizer"] = settings.Optimizer,
            ["restart"] = result.Restart,
            ["vectors"] = vectors,
        };

        StepSeries[] series =
        [
            new("min_angle_deg", result.MinAngleDegrees),
            new("objective", result.Objective),
        ];
        return new TrialOutcome(metrics, series, detail, result.DivergedAtStep) { Artifacts = Trajectory(settings, result) };
    }

    /// <summary>The run's trajectory as the report's animation reads it; none when the run kept no frames.</summary>
    private static TrialArtifact[] Trajectory(SpreadSettings settings, SpreadTrialResult result)
    {
        if (result.Frames is not { } frames || result.FrameSteps.Length < 2)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("steps");
            foreach (var step in result.FrameSteps)
            {
                json.WriteNumberValue(step);
            }

            json.WriteEndArray();
            json.WriteStartArray("vectors");
            var (n, d) = (settings.Vectors, settings.Dims);
            for (var f = 0; f < result.FrameSteps.Length; f++)
            {
                json.WriteStartArray();
                for (var i = 0; i < n; i++)
                {
                    json.WriteStartArray();
                    for (var k = 0; k < d; k++)
                    {
                        var x = frames[(((f * n) + i) * d) + k];
                        if (float.IsFinite(x))
                        {
                            json.WriteNumberValue(x);
                        }
                        else
                        {
                            json.WriteNullValue();
                        }
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return [TrialArtifact.FromContent(VectorSpreadDefinition.TrajectoryArtifact, "application/json", buffer.ToArray())];
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
