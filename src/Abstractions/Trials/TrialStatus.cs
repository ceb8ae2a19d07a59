namespace GradDescent.Abstractions.Trials;

/// <summary>How a trial ended. Stored as lower-case text.</summary>
public enum TrialStatus
{
    /// <summary>Ran every iteration with finite metrics.</summary>
    Completed,

    /// <summary>Produced NaN or infinity; <see cref="TrialResult.DivergedAtStep"/> says where.</summary>
    Diverged,

    /// <summary>Threw on every allowed attempt; <see cref="TrialResult.Error"/> holds the last error.</summary>
    Failed,

    /// <summary>
    /// Stopped early by the sweep's early-stopping rule (ASHA or median stopping, docs/search.md): its
    /// step series end at the iteration where it stopped, and its final metrics are those of that step.
    /// </summary>
    Pruned,
}
