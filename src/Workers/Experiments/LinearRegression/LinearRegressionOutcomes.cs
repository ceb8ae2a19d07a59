using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// Turns one trial's slice of a fused run into its <see cref="TrialOutcome"/>: metrics, per-step
/// series and the result document. A diverged trial's series stop at (and include) the first step
/// whose loss, slope or intercept is NaN or infinite; its final metrics are reported as computed
/// (usually NaN), and non-finite numbers appear as null in the JSON document. A trial stopped early
/// has series as long as it ran, and the metrics of its last step.
/// </summary>
internal static class LinearRegressionOutcomes
{
    public static TrialOutcome Build(
        LinearRegressionTrajectories run, int trial, HeightWeightData data, string optimizer, double learningRate)
    {
        var ran = run.StoppedAt[trial] ?? run.Loss[trial].Length;
        var loss = Prefix(run.Loss[trial], ran);
        var slope = Prefix(run.Slope[trial], ran);
        var intercept = Prefix(run.Intercept[trial], ran);
        var last = loss.Length - 1;
        int? diverged = FirstNonFinite(loss, slope, intercept);
        var kept = diverged is { } d ? d + 1 : loss.Length;

        var exact = data.Exact;
        var mse = run.FinalMse[trial];
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["slope"] = slope[last],
            ["intercept"] = intercept[last],
            ["loss"] = loss[last],
            ["mse"] = mse,
            ["exact_slope"] = exact.Slope,
            ["exact_intercept"] = exact.Intercept,
            ["exact_mse"] = exact.Mse,
            ["mse_gap"] = mse - exact.Mse,
        };

        var history = new StepSeries[]
        {
            new("loss", Prefix(loss, kept)),
            new("slope", Prefix(slope, kept)),
            new("intercept", Prefix(intercept, kept)),
        };

        var detail = Detail(data, optimizer, learningRate, loss, slope, intercept, mse);
        return new TrialOutcome(metrics, history, detail, diverged, run.StoppedAt[trial]);
    }

    private static float[] Prefix(float[] values, int count) => count == values.Length ? values : values[..count];

    private static int? FirstNonFinite(float[] loss, float[] slope, float[] intercept)
    {
        for (var i = 0; i < loss.Length; i++)
        {
            if (!float.IsFinite(loss[i]) || !float.IsFinite(slope[i]) || !float.IsFinite(intercept[i]))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>
    /// The result document without the per-step history (<see cref="TrialOutcome.ToDocument"/> adds it
    /// from the series). Written with <see cref="Utf8JsonWriter"/> and parsed back, which leaves the
    /// nodes backed by the parsed element until someone edits them.
    /// </summary>
    private static JsonObject Detail(
        HeightWeightData data, string optimizer, double learningRate, float[] loss, float[] slope, float[] intercept, float mse)
    {
        var last = loss.Length - 1;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Number(writer, "slope", slope[last]);
            Number(writer, "intercept", intercept[last]);
            Number(writer, "loss", loss[last]);
            Number(writer, "mse", mse);
            writer.WriteStartObject("exact");
            writer.WriteNumber("slope", data.Exact.Slope);
            writer.WriteNumber("intercept", data.Exact.Intercept);
            writer.WriteNumber("mse", data.Exact.Mse);
            writer.WriteEndObject();
            writer.WriteString("data", data.Source);
            writer.WriteNumber("data_points", data.Count);
            writer.WriteString("optimizer", optimizer);
            writer.WriteNumber("learning_rate", learningRate);
            writer.WriteNumber("iterations", loss.Length);
            writer.WriteEndObject();
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    /// <summary>JSON has no NaN or infinity: those are written as null.</summary>
    private static void Number(Utf8JsonWriter writer, string name, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
