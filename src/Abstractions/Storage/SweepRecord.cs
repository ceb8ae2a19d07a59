namespace GradDescent.Abstractions.Storage;

/// <summary>A stored sweep: its submitted spec, size and lifecycle.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepRecord
{
    /// <summary>Unique sweep id (the primary key).</summary>
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string Name { get; init; }

    /// <summary>Experiment name from the catalog, e.g. <c>linear-regression</c>.</summary>
    [Id(2)] public required string Experiment { get; init; }

    /// <summary>The spec exactly as submitted.</summary>
    [Id(3)] public required string Spec { get; init; }

    /// <summary>Format of <see cref="Spec"/>, e.g. <c>yaml</c> or <c>json</c>.</summary>
    [Id(4)] public required string SpecFormat { get; init; }

    [Id(5)] public required SweepStatus Status { get; init; }

    /// <summary>Number of trials the spec expands to.</summary>
    [Id(6)] public required long TotalTrials { get; init; }

    [Id(7)] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set when the sweep first enters <see cref="SweepStatus.Running"/>.</summary>
    [Id(8)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Set when the sweep enters a final status (completed, cancelled, failed); cleared when it runs again.</summary>
    [Id(9)] public DateTimeOffset? FinishedAt { get; init; }

    [Id(10)] public string? Error { get; init; }

    /// <summary>The spec file as given to <c>run</c> or <c>submit</c> (made absolute), or null; <c>resume</c> allows file parameters in its folder.</summary>
    [Id(11)] public string? SpecPath { get; init; }

    /// <summary>The local process (<c>host:pid</c>) that runs or last ran this sweep in local mode; null for cluster sweeps.</summary>
    [Id(12)] public string? LocalSession { get; init; }

    /// <summary>When <see cref="LocalSession"/> last said it is alive; null once it stopped.</summary>
    [Id(13)] public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>How a running sweep's <see cref="Error"/> column starts when it holds why the sweep waits for a worker.</summary>
    public const string WaitingPrefix = "waiting: ";

    /// <summary>
    /// Why a running sweep waits for a worker its placement allows (docs/sweep-spec.md, Placement), without
    /// <see cref="WaitingPrefix"/>; null when it does not wait or does not run.
    /// </summary>
    public string? Waiting => Status == SweepStatus.Running && Error is { } note && note.StartsWith(WaitingPrefix, StringComparison.Ordinal)
        ? note[WaitingPrefix.Length..]
        : null;

    /// <summary>Status and local-run liveness, to tell a running sweep from an interrupted one.</summary>
    public SweepLiveness Liveness => new(Status, LocalSession, HeartbeatAt);
}
