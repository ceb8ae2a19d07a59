using GradDescent.Abstractions.Experiments;
using GradDescent.Workers.Experiments;

namespace GradDescent.Bench.Micro;

/// <summary>The vector-spread groups every spread benchmark runs (GradDescent, the hand-written limit; bench/python mirrors them).</summary>
internal static class SpreadBenchTrials
{
    public const int Vectors = 20;

    public const int Dims = 3;

    public const int Iterations = 1000;

    /// <summary>Tangential-force with the article's settings; trial i has seed i and learning rate 0.001·(1 + i/count).</summary>
    public static IReadOnlyList<TrialInput> TangentialForce(int count) =>
        TrialBatches.Bind(VectorSpreadDefinition.Instance, count, i => new Dictionary<string, object?>
        {
            ["vectors"] = Vectors.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["dims"] = Dims.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["method"] = VectorSpreadDefinition.TangentialForce,
            ["iterations"] = Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["learning_rate"] = TrialBatches.LearningRate(0.001, i, count),
        });

    /// <summary>Energy with its defaults but one start and 1,000 iterations; trial i has seed i and learning rate 0.01·(1 + i/count).</summary>
    public static IReadOnlyList<TrialInput> Energy(int count) =>
        TrialBatches.Bind(VectorSpreadDefinition.Instance, count, i => new Dictionary<string, object?>
        {
            ["vectors"] = Vectors.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["dims"] = Dims.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["method"] = VectorSpreadDefinition.Energy,
            ["iterations"] = Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["restarts"] = "1",
            ["learning_rate"] = TrialBatches.LearningRate(0.01, i, count),
        });
}
