namespace GradDescent.Abstractions.Trials;

/// <summary>One per-step metric of a trial: <c>Values[i]</c> is its value at step i (0-based).</summary>
[GenerateSerializer, Immutable]
public sealed record StepSeries([property: Id(0)] string Metric, [property: Id(1)] float[] Values);
