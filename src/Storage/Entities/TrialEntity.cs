namespace GradDescent.Storage.Entities;

/// <summary>Row of <c>trials</c>: one per (sweep, trial index).</summary>
internal sealed class TrialEntity
{
    public required string SweepId { get; set; }

    public long TrialIndex { get; set; }

    public required string Experiment { get; set; }

    /// <summary>JSON object of canonical parameter texts.</summary>
    public required string Parameters { get; set; }

    public string? Optimizer { get; set; }

    public double? LearningRate { get; set; }

    public int Seed { get; set; }

    public required string Status { get; set; }

    public int Attempts { get; set; }

    public required string WorkerId { get; set; }

    public required string Device { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset FinishedAt { get; set; }

    public double DurationMs { get; set; }

    /// <summary>JSON object of final metrics.</summary>
    public required string Metrics { get; set; }

    public double? PrimaryMetric { get; set; }

    public int? DivergedAtStep { get; set; }

    public string? Error { get; set; }

    public string? Detail { get; set; }
}
