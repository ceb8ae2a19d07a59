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

    /// <summary>Vector-spread trials heavy enough, leased one at a time, that the sweep is still running when a test acts on it.</summary>
    public static string Slow(string name) => $"""
        name: {name}
        experiment: vector-spread
        parameters:
          vectors: 24
          dims: 3
          method: tangential-force
          iterations: 3000
          learning_rate: 0.001
        grid:
          optimizer: [ascent, adam]
        repeats: 20
        batch_size: 1
        """;
}
