using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// Where every lane starts: each trial draws restarts × N × D standard normals from its own CPU
/// generator seeded with the trial's seed (so every device and every batch position starts alike),
/// normalised to unit vectors. With one restart this is the N × D draw of earlier versions.
/// </summary>
internal static class SpreadStarts
{
    /// <returns>[trials · restarts, N, D] unit vectors on the CPU, outside any dispose scope (the caller owns it).</returns>
    public static Tensor Draw(SpreadSettings settings, IReadOnlyList<TrialInput> trials)
    {
        using var scope = torch.NewDisposeScope();
        var draws = new Tensor[trials.Count];
        for (var i = 0; i < draws.Length; i++)
        {
            using var generator = new torch.Generator(unchecked((ulong)(uint)trials[i].Seed), torch.CPU);
            draws[i] = torch.randn([settings.Restarts, settings.Vectors, settings.Dims], generator: generator);
        }

        var stacked = torch.cat(draws, 0);
        return (stacked / stacked.norm(-1, keepdim: true)).DetachFromDisposeScope();
    }

    /// <summary>Given starting vectors ([lanes, N, D] row-major), normalised as <see cref="Draw"/> normalises.</summary>
    /// <exception cref="ArgumentException">The array does not hold lanes × N × D values.</exception>
    public static Tensor From(SpreadSettings settings, int lanes, float[] values)
    {
        if (values.Length != (long)lanes * settings.Vectors * settings.Dims)
        {
            throw new ArgumentException($"expected {lanes}×{settings.Vectors}×{settings.Dims} starting values, got {values.Length}", nameof(values));
        }

        using var scope = torch.NewDisposeScope();
        var stacked = torch.tensor(values, [lanes, settings.Vectors, settings.Dims]);
        return (stacked / stacked.norm(-1, keepdim: true)).DetachFromDisposeScope();
    }
}
