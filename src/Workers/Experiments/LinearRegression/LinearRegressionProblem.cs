using GradDescent.Workers.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// The mean squared error <c>L(slope, intercept) = mean((slope*h + intercept - w)²)</c> of one data
/// set, on a device, for any number of (slope, intercept) pairs <c>theta</c> [..., 2] at once.
/// <para>
/// The batched program evaluates L through its exact quadratic form around the least-squares
/// solution θ* (moments precomputed in double, rounded to float32): with d = theta - θ*,
/// <c>L = Var(h)*d_slope² + (mean(h)*d_slope + d_intercept)² + L*</c> and gradient
/// <c>∇L = d · H</c>, <c>H = 2[[mean(h²), mean(h)], [mean(h), 1]]</c>. That is the same function as the
/// mean over the data, costs O(1) per trial instead of O(n), and is more accurate in float32 (a sum of
/// non-negative terms instead of a mean of residuals that cancel). <see cref="DirectLoss"/> computes the
/// mean over the data literally; the tests check the two against each other and the gradient against
/// autograd of the direct form.
/// </para>
/// </summary>
public sealed class LinearRegressionProblem : IDisposable
{
    private readonly Tensor optimum;
    private readonly Tensor hessianRow0;
    private readonly Tensor hessianRow1;
    // Scalars owned by this instance and disposed with it: never implicit, so never freed by a
    // finalizer while libtorch reads them (docs/torchsharp-notes.md).
    private readonly Scalar standardDeviation;
    private readonly Scalar meanHeight;
    private readonly Scalar optimumLoss;
    private readonly Tensor inputs;
    private readonly Tensor weights;

    public LinearRegressionProblem(HeightWeightData data, Device device)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(device);
        var n = data.Count;
        double meanH = 0, meanHSquared = 0;
        foreach (var h in data.Heights)
        {
            meanH += h;
            meanHSquared += (double)h * h;
        }

        meanH /= n;
        meanHSquared /= n;
        double varianceH = 0;
        foreach (var h in data.Heights)
        {
            varianceH += (h - meanH) * (h - meanH);
        }

        varianceH /= n;
        var exact = data.Exact;
        optimum = Keep(torch.tensor(new[] { (float)exact.Slope, (float)exact.Intercept }, device: device));
        hessianRow0 = Keep(torch.tensor(new[] { (float)(2 * meanHSquared), (float)(2 * meanH) }, device: device));
        hessianRow1 = Keep(torch.tensor(new[] { (float)(2 * meanH), 2f }, device: device));
        standardDeviation = ((float)Math.Sqrt(varianceH)).ToScalar();
        meanHeight = ((float)meanH).ToScalar();
        optimumLoss = ((float)exact.Mse).ToScalar();
        using var rows = torch.tensor(data.Heights.SelectMany(h => new[] { h, 1f }).ToArray(), [n, 2], device: device);
        inputs = Keep(rows.t());
        weights = Keep(torch.tensor(data.Weights.ToArray(), device: device));
    }

    /// <summary>Per-pair loss [...] at <paramref name="theta"/> [..., 2], through the quadratic form.</summary>
    public Tensor Loss(Tensor theta)
    {
        using var scope = torch.NewDisposeScope();
        var difference = theta - optimum;
        var spread = difference.narrow(-1, 0, 1).mul(standardDeviation);
        var offset = difference.narrow(-1, 0, 1).mul(meanHeight).PlusInPlace(difference.narrow(-1, 1, 1));
        return spread.Squared().PlusInPlace(offset.Squared()).PlusInPlace(optimumLoss).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Per-pair gradient [..., 2] of the loss with respect to (slope, intercept).</summary>
    /// <remarks>Elementwise (no matmul), so tiny batches never wake a BLAS thread pool.</remarks>
    public Tensor Gradient(Tensor theta)
    {
        using var scope = torch.NewDisposeScope();
        var difference = theta - optimum;
        return difference.narrow(-1, 0, 1).mul(hessianRow0).addcmul_(difference.narrow(-1, 1, 1), hessianRow1, ScalarArithmetic.One).MoveToOuterDisposeScope();
    }

    /// <summary>The loss as the literal float32 mean of squared residuals over the data, [B] for theta [B, 2].</summary>
    public Tensor DirectLoss(Tensor theta)
    {
        using var scope = torch.NewDisposeScope();
        return theta.matmul(inputs).sub_(weights).Squared().mean([-1]).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        optimum.Dispose();
        hessianRow0.Dispose();
        hessianRow1.Dispose();
        inputs.Dispose();
        weights.Dispose();
        standardDeviation.Dispose();
        meanHeight.Dispose();
        optimumLoss.Dispose();
    }

    private static Tensor Keep(Tensor tensor) => tensor.DetachFromDisposeScope();
}
