using System.Collections.Immutable;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Abstractions.Trials;

/// <summary>The stored outcome of one trial: exactly one per (sweep, index).</summary>
[GenerateSerializer, Immutable]
public sealed record TrialResult
{
    [Id(0)] public required string SweepId { get; init; }

    [Id(1)] public required long Index { get; init; }

    [Id(2)] public required string Experiment { get; init; }

    [Id(3)] public required ParameterSet Parameters { get; init; }

    [Id(4)] public required int Seed { get; init; }

    [Id(5)] public required TrialStatus Status { get; init; }

    /// <summary>How many times the trial was started (1 unless it was retried).</summary>
    [Id(6)] public required int Attempts { get; init; }

    [Id(7)] public required string WorkerId { get; init; }

    /// <summary>Torch device the trial ran on, e.g. <c>cpu</c> or <c>cuda:0</c>.</summary>
    [Id(8)] public required string Device { get; init; }

    [Id(9)] public required DateTimeOffset StartedAt { get; init; }

    [Id(10)] public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>Compute time attributed to this trial (a fused group's time split evenly).</summary>
    [Id(11)] public required double DurationMs { get; init; }

    /// <summary>Final scalar metrics, e.g. <c>mse</c>, <c>slope</c>, <c>min_angle_deg</c>.</summary>
    [Id(12)] public required ImmutableSortedDictionary<string, double> Metrics { get; init; }

    /// <summary>Per-step metrics (loss, parameters, angles...).</summary>
    [Id(13)] public required ImmutableArray<StepSeries> Steps { get; init; }

    [Id(14)] public int? DivergedAtStep { get; init; }

    [Id(15)] public string? Error { get; init; }

    /// <summary>Experiment-specific result document (JSON object), e.g. the exact solution or final vectors.</summary>
    [Id(16)] public string? DetailJson { get; init; }

    /// <summary>Files reports need (images, the data set), stored beside the trial; empty for most trials.</summary>
    [Id(17)] public ImmutableArray<TrialArtifact> Artifacts { get; init; } = [];
}
