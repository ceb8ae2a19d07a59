using System.Collections.Immutable;
using System.Globalization;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;

namespace GradDescent.Reports.Tests.Infrastructure;

/// <summary>Small vector-spread and adversarial sweeps with hand-chosen outcomes (for their views and figures).</summary>
public static class OtherSweeps
{
    public const string SpreadId = "known-spread";
    public const string AttackId = "known-attack";

    /// <summary>vector-spread: (vectors, dims, optimizer, final min angle); 3 vectors in 2-D have a known optimum of 120°.</summary>
    public static readonly (int Vectors, int Dims, string Optimizer, double Angle)[] Spread =
    [
        (3, 2, "adam", 119.5), (3, 2, "ascent", 118), (4, 3, "adam", 100), (4, 3, "ascent", 109),
    ];

    /// <summary>adversarial: (optimizer, step, flipped, final target probability).</summary>
    public static readonly (string Optimizer, double Step, bool Flipped, double Probability)[] Attack =
    [
        ("sign", 1, true, 0.9), ("sign", 1, false, 0.3), ("sign", 2, true, 0.95), ("adam", 1, true, 0.7),
    ];

    public static async Task StoreAsync(IResultStore store)
    {
        await store.CreateSweepAsync(KnownSweep.Sweep(SpreadId, "known-family-spread", VectorSpreadDefinition.Name, Spread.Length));
        var results = new List<TrialResult>();
        for (var i = 0; i < Spread.Length; i++)
        {
            var (vectors, dims, optimizer, angle) = Spread[i];
            var parameters = VectorSpreadDefinition.Instance.Bind(
                [new("vectors", Text(vectors)), new("dims", Text(dims)), new("optimizer", optimizer), new("iterations", "3")]);
            var optimum = dims == 2 ? 360.0 / vectors : Math.Acos(-1.0 / (vectors - 1)) * 180 / Math.PI;
            var unit = Enumerable.Range(0, vectors).Select(k => Enumerable.Range(0, dims).Select(d => d == k % dims ? (k >= dims ? -1.0 : 1.0) : 0.0).ToArray());
            results.Add(KnownSweep.Result(SpreadId, i, VectorSpreadDefinition.Name, parameters, 0, TrialStatus.Completed) with
            {
                Metrics = Metrics(("min_angle_deg", angle), ("known_optimum_deg", optimum)),
                Steps = [new StepSeries("min_angle_deg", [10f, 60f, 100f, (float)angle])],
                DetailJson = $"{{\"vectors\":[{string.Join(',', unit.Select(v => $"[{string.Join(',', v.Select(Text))}]"))}]}}",
            });
        }

        await store.SaveResultsAsync(results);

        await store.CreateSweepAsync(KnownSweep.Sweep(AttackId, "known-family-attack", AdversarialDefinition.Name, Attack.Length));
        results.Clear();
        for (var i = 0; i < Attack.Length; i++)
        {
            var (optimizer, step, flipped, probability) = Attack[i];
            var parameters = AdversarialDefinition.Instance.Bind([new("optimizer", optimizer), new("step", Text(step))]);
            results.Add(KnownSweep.Result(AttackId, i, AdversarialDefinition.Name, parameters, i, TrialStatus.Completed) with
            {
                Metrics = flipped
                    ? Metrics(("target_probability", probability), ("flipped", 1), ("iterations_to_flip", 2))
                    : Metrics(("target_probability", probability), ("flipped", 0)),
                Steps = [new StepSeries("target_probability", [0.1f, 0.4f, (float)probability])],
                DetailJson = "{\"probabilities\":[[0.9,0.1],[0.6,0.4],[0.2,0.8]],\"pixel_change_histogram\":{\"-2\":10,\"-1\":300,\"0\":5000,\"1\":280,\"2\":12}}",
                Artifacts =
                [
                    TrialArtifact.FromContent("original.png", "image/png", TestImages.Png(32, i % 2)),
                    TrialArtifact.FromContent("adversarial.png", "image/png", TestImages.Png(32, i % 2, change: 8 * (i + 1))),
                ],
            });
        }

        await store.SaveResultsAsync(results);
    }

    private static ImmutableSortedDictionary<string, double> Metrics(params (string Name, double Value)[] values) =>
        values.ToImmutableSortedDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
