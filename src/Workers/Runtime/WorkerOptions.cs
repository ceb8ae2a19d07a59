using System.ComponentModel.DataAnnotations;

namespace GradDescent.Workers.Runtime;

/// <summary>Worker settings (section <c>GradDescent:Worker</c>, e.g. <c>GradDescent__Worker__Device=cuda</c>).</summary>
public sealed class WorkerOptions
{
    public const string Section = "GradDescent:Worker";

    /// <summary>Stable id stored with every result; default: host name and process id.</summary>
    public string? WorkerId { get; set; }

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
    /// Torch intra-op threads per process; 0 keeps libtorch's default (one per core). The default, 1,
    /// suits many small fused trials: parallelism comes from slots, and idle OpenMP threads that
    /// spin-wait on a busy machine cost ten times the useful work (measured on 2 cores).
    /// </summary>
    [Range(0, 1024)]
    public int TorchThreads { get; set; } = 1;

    public string ResolveWorkerId() =>
        string.IsNullOrWhiteSpace(WorkerId) ? $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}" : WorkerId;
}
