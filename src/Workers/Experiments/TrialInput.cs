using GradDescent.Abstractions.Parameters;

namespace GradDescent.Workers.Experiments;

/// <summary>One trial of a fused group: validated parameters and the repeat's seed.</summary>
public sealed record TrialInput(ParameterSet Parameters, int Seed);
