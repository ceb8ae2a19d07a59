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
}
