namespace GradDescent.Reports.Tests.Infrastructure;

/// <summary>The statistics the views should give, computed here from <see cref="KnownSweep.Groups"/> without SQL.</summary>
public static class Expected
{
    /// <summary>t(0.975, df) for the degrees of freedom the known sweep has.</summary>
    private static readonly Dictionary<int, double> T975 = new() { [1] = 12.706204736174705, [2] = 4.302652729911275 };

    public sealed record Group(string Optimizer, double Rate, int Trials, int Completed, double Mean, double StdDev, double Ci95, double Median, int? FirstWithin1PctSum, int SeedsWithin1Pct);

    public static double SweepBest => KnownSweep.Groups.SelectMany(g => g.Mse).Where(m => m is not null).Min(m => m!.Value);

    public static IReadOnlyList<Group> Groups() =>
    [
        .. KnownSweep.Groups.Select(g =>
        {
            var values = g.Mse.Where(m => m is not null).Select(m => m!.Value).Order().ToArray();
            var n = values.Length;
            var mean = values.Sum() / n;
            var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
            var median = n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
            var firsts = g.Loss.Select((loss, seed) => g.Mse[seed] is null ? (int?)null : FirstWithin(loss)).Where(f => f is not null).ToList();
            return new Group(g.Optimizer, g.Rate, g.Mse.Length, n, mean, sd, T975[n - 1] * sd / Math.Sqrt(n), median,
                firsts.Count == 0 ? null : firsts.Sum(), firsts.Count);
        }),
    ];

    private static int? FirstWithin(float[] loss)
    {
        for (var i = 0; i < loss.Length; i++)
        {
            if (loss[i] - SweepBest <= 0.01 * SweepBest)
            {
                return i;
            }
        }

        return null;
    }
}
