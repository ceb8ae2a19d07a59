using System.Text.Json.Nodes;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// Turns one trial's slice of a fused run into its <see cref="TrialOutcome"/>: metrics, per-step
/// series and the result document. A diverged trial's series stop at (and include) the first step
/// whose loss, slope or intercept is NaN or infinite; its final metrics are reported as computed
/// (usually NaN), and non-finite numbers appear as null in the JSON document.
/// </summary>
internal static class LinearRegressionOutcomes
{
    public static TrialOutcome Build(
        LinearRegressionTrajectories run, int trial, HeightWeightData data, string optimizer, double learningRate)
    {
        var loss = run.Loss[trial];
        var slope = run.Slope[trial];
        var intercept = run.Intercept[trial];
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
            new("loss", loss[..kept]),
            new("slope", slope[..kept]),
            new("intercept", intercept[..kept]),
        };

        var steps = new JsonArray();
        for (var i = 0; i < kept; i++)
        {
            steps.Add(new JsonObject
            {
                ["step"] = i,
                ["loss"] = Number(loss[i]),
                ["slope"] = Number(slope[i]),
                ["intercept"] = Number(intercept[i]),
            });
        }

        var detail = new JsonObject
        {
            ["slope"] = Number(slope[last]),
            ["intercept"] = Number(intercept[last]),
            ["loss"] = Number(loss[last]),
            ["mse"] = Number(mse),
            ["exact"] = new JsonObject
            {
                ["slope"] = exact.Slope,
                ["intercept"] = exact.Intercept,
                ["mse"] = exact.Mse,
            },
            ["data"] = data.Source,
            ["optimizer"] = optimizer,
            ["learning_rate"] = learningRate,
            ["iterations"] = loss.Length,
            ["history"] = steps,
        };

        return new TrialOutcome(metrics, history, detail, diverged);
    }

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

    /// <summary>JSON has no NaN or infinity: those become null.</summary>
    private static JsonNode? Number(float value) => float.IsFinite(value) ? JsonValue.Create(value) : null;
}
