using System.ComponentModel.DataAnnotations;
using GradDescent.Abstractions.Grains;

namespace GradDescent.Workers.Runtime;

/// <summary>Worker settings (section <c>GradDescent:Worker</c>, e.g. <c>GradDescent__Worker__Device=cuda</c>).</summary>
public sealed class WorkerOptions
{
    public const string Section = "GradDescent:Worker";

    /// <summary>Stable id stored with every result; default: host name and process id.</summary>
    public string? WorkerId { get; set; }

    /// <summary>
    /// The pool this worker belongs to (a metrics label and part of what it advertises), e.g. <c>cpu</c> or
    /// <c>gpu</c>: lower-case letters, digits and <c>-_.</c>, at most 63 characters.
    /// </summary>
    [Required]
    [RegularExpression(WorkerInfo.PoolPattern, ErrorMessage = "Pool must be 1-63 lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit.")]
    public string Pool { get; set; } = WorkerInfo.DefaultPool;

    /// <summary><c>auto</c> (CUDA when available, else CPU), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    [Required]
    public string Device { get; set; } = "auto";

    /// <summary>Fused batches computed at once; default one per core.</summary>
    [Range(1, 256)]
    public int Slots { get; set; } = Environment.ProcessorCount;

    /// <summary>Most trials asked for in one lease.</summary>
    [Range(1, 1_000_000)]
    public int MaxBatchTrials { get; set; } = 512;

    /// <summary>Most trials run in one fused tensor program.</summary>
    [Range(1, 1_000_000)]
    public int MaxFusedTrials { get; set; } = 1024;

    /// <summary>Wait before asking again when no sweep has work.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Longest wait for one answer of the control plane (lease, heartbeat, completion) before the call is tried again:
    /// a call in flight when its silo dies fails after this, not after Orleans' 30 s response timeout. Retrying is
    /// safe: the sweep grain answers a repeated completion as it answered the first.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// On shutdown (SIGTERM), how long the worker may spend giving back its leases and sending results it already
    /// computed before it exits.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Torch intra-op threads per process; 0 keeps libtorch's default (one per core). The default, 1,
    /// suits many small fused trials: parallelism comes from slots, and idle OpenMP threads that
    /// spin-wait on a busy machine cost ten times the useful work (measured on 2 cores).
    /// </summary>
    [Range(0, 1024)]
    public int TorchThreads { get; set; } = 1;

    /// <summary>
    /// Folder where the adversarial experiment's synthetic stand-in victim is trained once and cached;
    /// empty: <c>~/.cache/graddescent</c>.
    /// </summary>
    public string? CacheFolder { get; set; }

    /// <summary>
    /// On SIGTERM the worker stops leasing at once; a batch it is computing may run this much longer to finish and be
    /// reported. A batch not done by then is handed back to its sweep at once, so another worker takes it without
    /// waiting for the lease to expire. 0 hands back at once. The <c>worker</c> command's default is 25 s (below a pod's
    /// 60 s grace period); <c>run</c>, <c>resume</c> and a dashboard on SQLite use 0.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>The <c>worker</c> command's <see cref="DrainTimeout"/>.</summary>
    public static readonly TimeSpan WorkerCommandDrainTimeout = TimeSpan.FromSeconds(25);

    public string ResolveWorkerId() =>
        string.IsNullOrWhiteSpace(WorkerId) ? $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}" : WorkerId;
}
