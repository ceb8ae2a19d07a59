namespace GradDescent.Sweeps.Search;

/// <summary>How a finished trial ended, as the searchers see it.</summary>
public enum ObservationKind
{
    /// <summary>Ran to the end; <see cref="TrialObservation.Values"/> holds its objective values.</summary>
    Completed,

    /// <summary>Stopped early at <see cref="TrialObservation.PrunedAt"/>; its value is the step metric there.</summary>
    Pruned,

    /// <summary>Produced NaN or infinity: ranked worst on every objective.</summary>
    Diverged,

    /// <summary>Threw on every attempt, or lacks an objective: no information, not an observation.</summary>
    Failed,
}
