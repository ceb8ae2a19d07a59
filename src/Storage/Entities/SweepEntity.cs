namespace GradDescent.Storage.Entities;

/// <summary>Row of <c>sweeps</c>.</summary>
internal sealed class SweepEntity
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public required string Experiment { get; set; }

    public required string Spec { get; set; }

    public required string SpecFormat { get; set; }

    public required string Status { get; set; }

    public long TotalTrials { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? Error { get; set; }

    public string? SpecPath { get; set; }

    public string? LocalSession { get; set; }

    public DateTimeOffset? HeartbeatAt { get; set; }
}
