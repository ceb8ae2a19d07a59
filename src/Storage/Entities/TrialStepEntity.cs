namespace GradDescent.Storage.Entities;

/// <summary>Row of <c>trial_steps</c>: one metric's whole series for one trial.</summary>
internal sealed class TrialStepEntity
{
    public required string SweepId { get; set; }

    public long TrialIndex { get; set; }

    public required string Metric { get; set; }

    public required float[] StepValues { get; set; }
}
