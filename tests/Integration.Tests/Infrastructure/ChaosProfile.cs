using System.Globalization;

namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>What the chaos suite does to a cluster.</summary>
public enum ChaosStep
{
    KillWorker,
    KillSilo,
    FreezeWorker,
    CutStore,
}

/// <summary>
/// How big the chaos suite's sweep is and how many of each event it suffers: <c>short</c> (CI, about two minutes) or
/// <c>long</c> (<c>GRADDESCENT_CHAOS=long</c>), in an order drawn from <see cref="Seed"/> (<c>GRADDESCENT_CHAOS_SEED</c>).
/// </summary>
public sealed record ChaosProfile(string Name, int Seeds, int Iterations, int WorkerKills, int SiloKills, int Freezes, int StoreCuts, int Seed)
{
    /// <summary>Two optimizers per seed.</summary>
    public int Trials => 2 * Seeds;

    public string Spec => Specs.SlowVectorSpread($"it-chaos-{Name}", Seeds, Iterations);

    public static ChaosProfile FromEnvironment()
    {
        var seed = Environment.GetEnvironmentVariable("GRADDESCENT_CHAOS_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        return Environment.GetEnvironmentVariable("GRADDESCENT_CHAOS") switch
        {
            "long" => new ChaosProfile("long", Seeds: 1500, Iterations: 100, WorkerKills: 10, SiloKills: 3, Freezes: 2, StoreCuts: 2, seed),
            null or "" or "short" => new ChaosProfile("short", Seeds: 80, Iterations: 1500, WorkerKills: 3, SiloKills: 1, Freezes: 1, StoreCuts: 1, seed),
            var other => throw new InvalidOperationException($"GRADDESCENT_CHAOS must be 'short' or 'long', not '{other}'"),
        };
    }

    /// <summary>Every event of the profile once, shuffled.</summary>
    public IReadOnlyList<ChaosStep> Steps(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var steps = Enumerable.Repeat(ChaosStep.KillWorker, WorkerKills)
            .Concat(Enumerable.Repeat(ChaosStep.KillSilo, SiloKills))
            .Concat(Enumerable.Repeat(ChaosStep.FreezeWorker, Freezes))
            .Concat(Enumerable.Repeat(ChaosStep.CutStore, StoreCuts))
            .ToArray();
        random.Shuffle(steps);
        return steps;
    }
}
