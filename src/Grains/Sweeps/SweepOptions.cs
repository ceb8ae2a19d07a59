using System.ComponentModel.DataAnnotations;

namespace GradDescent.Grains.Sweeps;

/// <summary>Control-plane settings (section <c>GradDescent:Sweeps</c>).</summary>
public sealed class SweepOptions
{
    public const string Section = "GradDescent:Sweeps";

    /// <summary>How long a worker holds a batch without a heartbeat before its trials go back to the queue.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most trials handed out in one lease.</summary>
    [Range(1, 1_000_000)]
    public int MaxBatchTrials { get; set; } = 1024;

    /// <summary>
    /// Smallest lease when the sweep is split between workers: a lease takes at most half of the
    /// remaining trials' fair share per active worker, but never fewer than this. Also the size of a first (probe)
    /// lease of trials whose cost is not measured yet, and the smallest lease <see cref="TargetBatchTime"/> chooses.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MinBatchTrials { get; set; } = 8;

    /// <summary>
    /// How long computing one lease should take. Leases are sized from the measured compute time per trial of each
    /// fusion key on each kind of device (a first lease is a probe of <see cref="MinBatchTrials"/>), between
    /// <see cref="MinBatchTrials"/> and <see cref="MaxBatchTrials"/> (and the worker's own maximum): progress shows
    /// within the first seconds, and a lost worker costs about this much work per slot. A spec's <c>batch_size</c>
    /// fixes the size instead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan TargetBatchTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest sweep accepted (trials).</summary>
    [Range(1, long.MaxValue)]
    public long MaxTrials { get; set; } = 1_000_000;

    /// <summary>
    /// After a result write failed because the store was unreachable, how long the sweep hands out no new leases
    /// (workers hear "store unavailable, retry later" and back off instead of computing trials nobody can store).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StoreRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A result write still waiting on the store after this long (the store retries transient errors for up to its
    /// budget) pauses new leases too, until it finishes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan StoreStallAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A sweep without <c>placement</c> goes to workers of its experiment's preferred device (CUDA for the adversarial
    /// attack, CPU for the others); other workers get its trials once no preferred worker has taken a lease of it for
    /// this long, so a cluster without such workers still runs it. 0: any worker at once. Local mode (<c>run</c>,
    /// <c>resume</c>, a dashboard on SQLite) has one worker, its own, and never waits.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PlacementFallback { get; set; } = TimeSpan.FromSeconds(10);
}
