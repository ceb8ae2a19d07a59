namespace GradDescent.Sweeps.Tests;

/// <summary>The example spec of the task brief and docs/sweep-spec.md, verbatim.</summary>
internal static class ExampleSpec
{
    public const string Yaml = """
        name: seed-optimizers
        experiment: linear-regression
        parameters:              # fixed for every trial
          iterations: 50
          init_slope: 6.04
          init_intercept: -180
        grid:                    # cartesian product
          optimizer: [gd, sgd, momentum, rmsprop, adam, adagrad]
          learning_rate: {log: [1.0e-4, 1.0], count: 9}   # also {linear: [a, b], count: n}
        random:                  # optional: samples drawn on top of the grid
          samples: 20
          space:
            learning_rate: {log_uniform: [1.0e-4, 1.0]}
            optimizer: {choice: [adam, rmsprop]}
        repeats: 3               # seeds 0..2 for every point
        """;

    public const string Json = """
        {
          "name": "seed-optimizers",
          "experiment": "linear-regression",
          "parameters": { "iterations": 50, "init_slope": 6.04, "init_intercept": -180 },
          "grid": {
            "optimizer": ["gd", "sgd", "momentum", "rmsprop", "adam", "adagrad"],
            "learning_rate": { "log": [1.0e-4, 1.0], "count": 9 }
          },
          "random": {
            "samples": 20,
            "space": {
              "learning_rate": { "log_uniform": [1.0e-4, 1.0] },
              "optimizer": { "choice": ["adam", "rmsprop"] }
            }
          },
          "repeats": 3
        }
        """;

    public static readonly string[] LearningRates =
        ["0.0001", "0.000316227766016838", "0.001", "0.00316227766016838", "0.01", "0.0316227766016838", "0.1", "0.316227766016838", "1"];

    public static readonly string[] Optimizers = ["gd", "sgd", "momentum", "rmsprop", "adam", "adagrad"];

    public static SweepSpec Parse() => SweepSpecParser.Parse(Yaml, "example.yaml");
}
