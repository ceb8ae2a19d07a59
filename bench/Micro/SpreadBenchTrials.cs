using System.Globalization;
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
    public static IReadOnlyList<TrialInput> TangentialForce(int count) => Bind(count, VectorSpreadDefinition.TangentialForce, 0.001);

    /// <summary>Energy with its defaults but one start and 1,000 iterations; trial i has seed i and learning rate 0.01·(1 + i/count).</summary>
    public static IReadOnlyList<TrialInput> Energy(int count) => Bind(count, VectorSpreadDefinition.Energy, 0.01, ("restarts", "1"));

    private static IReadOnlyList<TrialInput> Bind(int count, string method, double learningRate, params (string Name, string Value)[] extra) =>
        TrialBatches.Bind(VectorSpreadDefinition.Instance, count, i =>
        {
            var values = new Dictionary<string, object?>
            {
                ["vectors"] = Vectors.ToString(CultureInfo.InvariantCulture),
                ["dims"] = Dims.ToString(CultureInfo.InvariantCulture),
                ["method"] = method,
                ["iterations"] = Iterations.ToString(CultureInfo.InvariantCulture),
                ["learning_rate"] = TrialBatches.LearningRate(learningRate, i, count),
            };
            foreach (var (name, value) in extra)
            {
                values[name] = value;
            }

            return values;
        });
}
