namespace GradDescent.Abstractions.Grains;

/// <summary>A trial that threw on the worker; the sweep retries it or stores it as failed.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialFailure(
    [property: Id(0)] long Index,
    [property: Id(1)] int Attempt,
    [property: Id(2)] string Error);
