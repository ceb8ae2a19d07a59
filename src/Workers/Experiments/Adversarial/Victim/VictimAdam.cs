using GradDescent.Workers.Devices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>
/// Adam for the victim's weights: exactly the arithmetic of TorchSharp 0.107's <c>optim.Adam(parameters, lr)</c>
/// (same operations in the same order, so the same bits), with every <see cref="Scalar"/> rooted until libtorch
/// is done with it. TorchSharp's optimizer converts its numbers to Scalars implicitly (<c>mul_(beta1)</c>,
/// <c>add_(grad, alpha: 1 - beta1)</c>, <c>add_(eps)</c> with a hidden alpha, <c>addcdiv_(…, value: -step)</c>),
/// which a finalizer can free during the native call (docs/torchsharp-notes.md); under collection pressure that
/// failed as <c>Expected false to be true … toFloat at c10/core/Scalar.h:140</c>.
/// </summary>
/// <remarks>
/// The settings are TorchSharp 0.107's (and Keras') defaults: β₁ 0.9, β₂ 0.999, ε 1e-8; <c>VictimAdamTests</c>
/// checks the bits against TorchSharp's optimizer.
/// </remarks>
internal sealed class VictimAdam : IDisposable
{
    public const double Beta1 = 0.9;
    public const double Beta2 = 0.999;
    public const double Epsilon = 1e-8;

    private readonly Parameter[] parameters;
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;
    private readonly double learningRate;
    private readonly Scalar beta1 = Beta1.ToScalar();
    private readonly Scalar oneMinusBeta1 = (1 - Beta1).ToScalar();
    private readonly Scalar beta2 = Beta2.ToScalar();
    private readonly Scalar oneMinusBeta2 = (1 - Beta2).ToScalar();
    private readonly Scalar epsilon = Epsilon.ToScalar();
    private long steps;

    /// <param name="parameters">The weights to train (their moment estimates start at zero).</param>
    /// <param name="learningRate">Adam's step size.</param>
    public VictimAdam(IEnumerable<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        this.parameters = [.. parameters];
        this.learningRate = learningRate;
        firstMoments = [.. this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        secondMoments = [.. this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
    }

    /// <summary>Zeroes every gradient (before the next backward pass accumulates into them).</summary>
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        foreach (var parameter in parameters)
        {
            parameter.grad?.zero_();
        }
    }

    /// <summary>One Adam step on every parameter that has a gradient.</summary>
    public void Step()
    {
        steps++;
        var biasCorrection1 = 1 - Math.Pow(Beta1, steps);
        var biasCorrection2 = 1 - Math.Pow(Beta2, steps);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var rootCorrection = Math.Sqrt(biasCorrection2).ToScalar();
        using var stepSize = (-(learningRate / biasCorrection1)).ToScalar();
        for (var i = 0; i < parameters.Length; i++)
        {
            var gradient = parameters[i].grad;
            if (gradient is null)
            {
                continue;
            }

            firstMoments[i].mul_(beta1).add_(gradient, oneMinusBeta1);
            secondMoments[i].mul_(beta2).addcmul_(gradient, gradient.conj(), oneMinusBeta2);
            var denominator = secondMoments[i].sqrt().div(rootCorrection).add_(epsilon, ScalarArithmetic.One);
            parameters[i].addcdiv_(firstMoments[i], denominator, stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var moment in firstMoments.Concat(secondMoments))
        {
            moment.Dispose();
        }

        beta1.Dispose();
        oneMinusBeta1.Dispose();
        beta2.Dispose();
        oneMinusBeta2.Dispose();
        epsilon.Dispose();
    }
}
