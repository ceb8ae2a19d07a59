namespace GradDescent.Sweeps;

/// <summary>How a random-space parameter is drawn.</summary>
[GenerateSerializer]
public enum RandomDistribution
{
    /// <summary><c>uniform: [a, b]</c>: a real in [a, b].</summary>
    Uniform,

    /// <summary><c>log_uniform: [a, b]</c>: a real whose logarithm is uniform in [log a, log b]; 0 &lt; a.</summary>
    LogUniform,

    /// <summary><c>int_uniform: [a, b]</c>: an integer in a..b, both ends included.</summary>
    IntUniform,

    /// <summary><c>choice: [x, y, ...]</c>: one of the listed values, each equally likely.</summary>
    Choice,
}
