namespace GradDescent.Dashboard.Tests.Infrastructure;

/// <summary>Specs the tests launch, sized for a loaded 2-core CI machine.</summary>
public static class Specs
{
    /// <summary>2 optimizers × 2 learning rates: 4 quick linear-regression trials.</summary>
    public static string Small(string name) => $"""
        name: {name}
        description: A <script>alert('x')</script> check that descriptions are shown as text.
        experiment: linear-regression
        parameters:
          iterations: 10
        grid:
          optimizer: [adam, sgd]
          learning_rate: [0.01, 0.1]
        """;

    /// <summary>
    /// TPE over optimizer and learning rate with ASHA early stopping: 18 linear-regression trials in two generations of 9,
    /// from a start far from the fit so losses differ early and ASHA stops some (a fresh generation of 9 keeps 3 at its
    /// first rung).
    /// </summary>
    public static string AshaSearch(string name) => $$"""
        name: {{name}}
        experiment: linear-regression
        parameters: {iterations: 27, init_slope: 6.04, init_intercept: -180}
        search:
          algorithm: tpe
          trials: 18
          batch: 9
          seed: 4
          space:
            optimizer: {choice: [sgd, adam]}
            learning_rate: {log_uniform: [1.0e-5, 1.0e-2]}
        early_stopping:
          algorithm: asha
          min_iterations: 3
          reduction_factor: 3
        """;
}
