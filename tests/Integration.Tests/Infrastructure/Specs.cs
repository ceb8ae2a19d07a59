namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>Sweep specs the tests run, sized for a loaded 2-core CI machine.</summary>
public static class Specs
{
    /// <summary>2 optimizers × 3 learning rates × 2 seeds = 12 quick linear-regression trials.</summary>
    public const string SmallLinearRegression = """
        name: it-small
        experiment: linear-regression
        parameters:
          iterations: 20
          init_intercept: -180
        grid:
          optimizer: [adam, rmsprop]
          learning_rate: [0.01, 0.1, 1.0]
        repeats: 2
        """;

    /// <summary>
    /// Vector-spread trials heavy enough (and leased 4 at a time) that a sweep is still running when a
    /// test interrupts it. The optimizers keep them in the libtorch tensor program: with ascent or adam
    /// tangential-force runs in the CPU kernel, fast enough to finish before a test can interrupt it.
    /// </summary>
    public static string SlowVectorSpread(string name, int seeds, int iterations = 1500) => $"""
        name: {name}
        experiment: vector-spread
        parameters:
          vectors: 24
          dims: 3
          method: tangential-force
          iterations: {iterations}
          learning_rate: 0.001
        grid:
          optimizer: [rmsprop, momentum]
        repeats: {seeds}
        batch_size: 4
        """;

    /// <summary>A small generated height/weight CSV (never the article's data set).</summary>
    public const string HeightWeightCsv = "Height,Weight\n60,120\n63,131\n66,150\n69,162\n72,181\n75,199\n";

    /// <summary>Two quick linear-regression trials fitted to the data file at <paramref name="dataPath"/>.</summary>
    public static string LinearRegressionOnData(string name, string dataPath) => $"""
        name: {name}
        experiment: linear-regression
        parameters:
          iterations: 20
          data: "{dataPath}"
        grid:
          optimizer: [adam, rmsprop]
        """;

    /// <summary>Two quick linear-regression trials, no files.</summary>
    public static string Tiny(string name) => $"""
        name: {name}
        experiment: linear-regression
        parameters:
          iterations: 10
        grid:
          optimizer: [adam, rmsprop]
        """;
}
