using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;
using GradDescent.Storage.Tests.Infrastructure;

namespace GradDescent.Dashboard.Tests.Infrastructure;

/// <summary>Completed sweeps with known results, written straight into a store (no trial has to run).</summary>
public static class Seed
{
    public static readonly string[] Optimizers = ["adam", "sgd", "gd"];

    public static readonly double[] LearningRates = [0.001, 0.005, 0.02, 0.1];

    /// <summary>
    /// A completed linear-regression sweep over optimizer × learning rate with <paramref name="repeats"/> seeds:
    /// trial i has mse 20·i (trial 5 diverged), optimizer <c>Optimizers[i / (4·repeats) % 3]</c>.
    /// </summary>
    public static async Task<SweepRecord> SweepAsync(IResultStore store, string name, int repeats = 2, DateTimeOffset? createdAt = null, string? id = null)
    {
        var total = Optimizers.Length * LearningRates.Length * repeats;
        var record = new SweepRecord
        {
            Id = id ?? $"{name}-{Guid.NewGuid():N}"[..Math.Min(40, name.Length + 33)],
            Name = name,
            Experiment = "linear-regression",
            Spec = $"""
                name: {(name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? name : "seeded")}
                description: Seeded for the dashboard tests.
                experiment: linear-regression
                parameters:
                  iterations: 5
                grid:
                  optimizer: [{string.Join(", ", Optimizers)}]
                  learning_rate: [{string.Join(", ", LearningRates.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]
                repeats: {repeats}
                """,
            SpecFormat = "yaml",
            Status = SweepStatus.Completed,
            TotalTrials = total,
            CreatedAt = createdAt ?? DateTimeOffset.UtcNow,
        };
        await store.CreateSweepAsync(record);
        await store.SaveResultsAsync([.. Enumerable.Range(0, total).Select(i => Result(record.Id, i, repeats))]);
        return record;
    }

    public static (string Optimizer, double LearningRate, double Mse, TrialStatus Status) Trial(int index, int repeats)
    {
        var point = index / repeats;
        return (Optimizers[point / LearningRates.Length], LearningRates[point % LearningRates.Length], index == 5 ? double.NaN : 20.0 * index,
            index == 5 ? TrialStatus.Diverged : TrialStatus.Completed);
    }

    private static TrialResult Result(string sweepId, int index, int repeats)
    {
        var (optimizer, rate, mse, status) = Trial(index, repeats);
        return SampleResults.Result(sweepId, index, mse, status, optimizer, rate, steps: 5) with { Seed = index % repeats };
    }
}
