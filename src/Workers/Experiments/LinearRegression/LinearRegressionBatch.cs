using GradDescent.Workers.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// The fused tensor program: B trials' (slope, intercept) as one [B, 2] tensor, stepped together by a
/// batched optimizer. Each iteration computes the loss and gradient at the current parameters,
/// scales the intercept's gradient per trial, and updates. History stays on the device and is
/// copied to the host once per chunk (once in all for ordinary runs), so there is no per-step sync.
/// </summary>
internal static class LinearRegressionBatch
{
    /// <summary>Floats of device history held before a copy to the host (16 MiB).</summary>
    private const long HistoryChunkFloats = 4L * 1024 * 1024;

    /// <param name="problem">The data on the device.</param>
    /// <param name="optimizer">A batched optimizer over the B trials.</param>
    /// <param name="start">Starting (slope, intercept) per trial, [B, 2], on the device.</param>
    /// <param name="gradientScale">Per-trial factors on (slope, intercept) gradients, [B, 2].</param>
    /// <param name="iterations">Number of updates.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    public static LinearRegressionTrajectories Run(
        LinearRegressionProblem problem,
        IBatchedOptimizer optimizer,
        Tensor start,
        Tensor gradientScale,
        int iterations,
        CancellationToken cancellationToken)
    {
        var trials = (int)start.shape[0];
        var result = LinearRegressionTrajectories.Allocate(trials, iterations);
        var chunkSteps = (int)Math.Clamp(HistoryChunkFloats / (3L * trials), 1L, iterations);

        using var outer = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var theta = start.clone();
        var chunk = torch.empty([chunkSteps, trials, 3], dtype: ScalarType.Float32, device: start.device);
        var parameters = new[] { theta };
        for (var first = 0; first < iterations; first += chunkSteps)
        {
            var steps = Math.Min(chunkSteps, iterations - first);
            for (var s = 0; s < steps; s++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var (loss, gradient) = problem.LossAndGradient(theta);
                gradient.mul_(gradientScale);
                optimizer.Step(parameters, [gradient]);
                var row = chunk[s];
                row.select(1, 0).copy_(loss);
                row.narrow(1, 1, 2).copy_(theta);
            }

            using var host = chunk.narrow(0, 0, steps).cpu();
            result.Store(first, host.data<float>().ToArray(), steps);
        }

        using var finalMse = problem.Loss(theta).cpu();
        finalMse.data<float>().ToArray().CopyTo(result.FinalMse, 0);
        return result;
    }
}
