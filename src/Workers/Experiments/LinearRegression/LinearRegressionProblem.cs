using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// The data on a device, ready for batched evaluation of <c>loss = mean((slope*h + intercept - w)²)</c>
/// at B parameter pairs <c>theta</c> [B, 2] = (slope, intercept) at once, with analytic gradients
/// <c>dslope = 2*mean(r*h)</c>, <c>dintercept = 2*mean(r)</c> (checked against autograd in the tests).
/// </summary>
public sealed class LinearRegressionProblem : IDisposable
{
    private readonly Tensor inputs;
    private readonly Tensor weights;
    private readonly Tensor gradientInputs;

    public LinearRegressionProblem(HeightWeightData data, Device device)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(device);
        var n = data.Count;
        using var heights = torch.tensor(data.Heights.ToArray(), device: device);
        using var ones = torch.ones(n, device: device);
        inputs = torch.stack([heights, ones]).DetachFromDisposeScope();
        weights = torch.tensor(data.Weights.ToArray(), device: device).DetachFromDisposeScope();
        using var transposed = inputs.t();
        gradientInputs = transposed.mul(2.0 / n).contiguous().DetachFromDisposeScope();
    }

    /// <summary>Per-trial mean squared error [B] at <paramref name="theta"/> [B, 2].</summary>
    public Tensor Loss(Tensor theta)
    {
        using var residual = Residual(theta);
        using var squared = residual.square();
        return squared.mean([1]);
    }

    /// <summary>Per-trial loss [B] and its gradient [B, 2] with respect to (slope, intercept).</summary>
    public (Tensor Loss, Tensor Gradient) LossAndGradient(Tensor theta)
    {
        using var residual = Residual(theta);
        using var squared = residual.square();
        return (squared.mean([1]), residual.mm(gradientInputs));
    }

    public void Dispose()
    {
        inputs.Dispose();
        weights.Dispose();
        gradientInputs.Dispose();
    }

    private Tensor Residual(Tensor theta) => theta.mm(inputs).sub_(weights);
}
