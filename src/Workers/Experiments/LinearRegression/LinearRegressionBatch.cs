using System.Runtime.InteropServices;
using GradDescent.Workers.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// The fused tensor program: B trials' (slope, intercept) as one [B, 2] tensor, stepped together by a
/// batched optimizer. Each iteration takes the gradient at the current parameters, scales the
/// intercept's component per trial and updates. The parameters after every update stay on the
/// device; the losses (a pure function of the parameters) are evaluated for a whole chunk of steps at
/// once and copied to the host with them, once per chunk (once in all for ordinary runs), so there
/// is no per-step host sync; the copy goes from libtorch's memory straight into each trial's arrays.
/// </summary>
internal static class LinearRegressionBatch
{
    /// <summary>Floats of device history held before a copy to the host (16 MiB).</summary>
    private const long HistoryChunkFloats = 4L * 1024 * 1024;

    /// <param name="problem">The loss on the device.</param>
    /// <param name="optimizer">A batched optimizer over the B trials.</param>
    /// <param name="start">Starting (slope, intercept) per trial, [B, 2], on the device.</param>
    /// <param name="gradientScale">Per-trial factors on the (slope, intercept) gradient, [B, 2].</param>
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
        var parameters = new[] { theta };
        // path[0] holds the parameters before the chunk's first update, path[s + 1] those after update s.
        var path = torch.empty([chunkSteps + 1, trials, 2], dtype: ScalarType.Float32, device: start.device);
        for (var first = 0; first < iterations; first += chunkSteps)
        {
            var steps = Math.Min(chunkSteps, iterations - first);
            path[0].copy_(theta);
            for (var s = 1; s <= steps; s++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var gradient = problem.Gradient(theta).mul_(gradientScale);
                optimizer.Step(parameters, [gradient]);
                path[s].copy_(theta);
            }

            using var scopeOfChunk = torch.NewDisposeScope();
            var before = path.narrow(0, 0, steps);
            var after = path.narrow(0, 1, steps);
            // [steps, B, (loss, slope, intercept)] laid out [series, B, steps] on the device, so each trial's steps
            // of a series are adjacent and copy straight from libtorch's memory into the trial's array.
            var chunk = torch.cat([problem.Loss(before).unsqueeze(-1), after], -1).permute(2, 1, 0).contiguous().cpu();
            result.Store(first, MemoryMarshal.Cast<byte, float>(chunk.bytes), steps);
        }

        using var finalMse = problem.Loss(theta).contiguous().cpu();
        MemoryMarshal.Cast<byte, float>(finalMse.bytes).CopyTo(result.FinalMse);
        return result;
    }
}
