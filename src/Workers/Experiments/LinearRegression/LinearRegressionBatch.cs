using GradDescent.Abstractions.Search;
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
/// is no per-step host sync. With an early-stopping plan a chunk also ends at each checkpoint, where
/// the rows the plan stops are dropped from every [B, …] tensor and the optimizer's state: they cost
/// nothing afterwards.
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
    /// <param name="stopping">The lease's early-stopping plan (the loss series is its metric), or null.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    public static LinearRegressionTrajectories Run(
        LinearRegressionProblem problem,
        IBatchedOptimizer optimizer,
        Tensor start,
        Tensor gradientScale,
        int iterations,
        StoppingPlan? stopping,
        CancellationToken cancellationToken)
    {
        var trials = (int)start.shape[0];
        var result = LinearRegressionTrajectories.Allocate(trials, iterations);
        var rows = new BatchStopping(stopping, trials, iterations);

        using var outer = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var theta = start.clone();
        var scale = gradientScale;
        for (var first = 0; first < iterations;)
        {
            var live = rows.Live.ToArray();
            var chunkSteps = (int)Math.Clamp(HistoryChunkFloats / (3L * live.Length), 1L, iterations);
            var steps = Math.Min(Math.Min(chunkSteps, iterations - first), (rows.NextCheckpoint ?? iterations) - first);
            RunChunk(problem, optimizer, theta, scale, first, steps, result, live, cancellationToken);
            first += steps;
            if (first != rows.NextCheckpoint)
            {
                continue;
            }

            // Loss value number s is series entry s - 1; a row that went non-finite is diverged, not judged.
            var done = first;
            var keep = rows.Decide((row, iteration) => result.Loss[row][iteration - 1], row => result.DivergedBefore(row, done));
            if (keep is null)
            {
                continue;
            }

            // A stopped row's final mse is the loss at its parameters now, as a finished row's is at its last ones.
            using (var losses = problem.Loss(theta).cpu())
            {
                var values = losses.data<float>().ToArray();
                var kept = new HashSet<int>(keep);
                for (var position = 0; position < live.Length; position++)
                {
                    if (!kept.Contains(position))
                    {
                        result.Stop(live[position], first, values[position]);
                    }
                }
            }

            if (keep.Length == 0)
            {
                return result;
            }

            using var index = torch.tensor(keep.Select(k => (long)k).ToArray(), device: start.device);
            theta = theta.index_select(0, index);
            scale = scale.index_select(0, index);
            optimizer.Keep(index);
        }

        using var finalMse = problem.Loss(theta).cpu();
        var final = finalMse.data<float>().ToArray();
        for (var position = 0; position < final.Length; position++)
        {
            result.FinalMse[rows.Live[position]] = final[position];
        }

        return result;
    }

    /// <summary>
    /// Runs updates <paramref name="first"/> … <paramref name="first"/> + <paramref name="steps"/> − 1 and copies their
    /// losses and parameters to the host once, into the rows of <paramref name="live"/> (original trial numbers in batch order).
    /// </summary>
    private static void RunChunk(
        LinearRegressionProblem problem,
        IBatchedOptimizer optimizer,
        Tensor theta,
        Tensor gradientScale,
        int first,
        int steps,
        LinearRegressionTrajectories result,
        int[] live,
        CancellationToken cancellationToken)
    {
        using var scopeOfChunk = torch.NewDisposeScope();
        var parameters = new[] { theta };
        // path[0] holds the parameters before the chunk's first update, path[s + 1] those after update s.
        var path = torch.empty([steps + 1, live.Length, 2], dtype: ScalarType.Float32, device: theta.device);
        path[0].copy_(theta);
        for (var s = 1; s <= steps; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var gradient = problem.Gradient(theta).mul_(gradientScale);
            optimizer.Step(parameters, [gradient]);
            path[s].copy_(theta);
        }

        var before = path.narrow(0, 0, steps);
        var after = path.narrow(0, 1, steps);
        var chunk = torch.cat([problem.Loss(before).unsqueeze(-1), after], -1).cpu();
        result.Store(first, chunk.data<float>().ToArray(), steps, live);
    }
}
