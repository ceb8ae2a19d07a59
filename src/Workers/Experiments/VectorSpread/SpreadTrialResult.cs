namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>What one trial of a fused vector-spread run computed (its reported restart), copied to the host.</summary>
/// <param name="MinAngleDegrees">Per step: the minimum pairwise angle after that step's update.</param>
/// <param name="Objective">Per step: the objective after that step's update.</param>
/// <param name="DivergedAtStep">First step whose objective or vectors were not finite; the series stop before it.</param>
/// <param name="Vectors">Final unit vectors, [N][D]; for a diverged trial the last finite ones.</param>
/// <param name="FinalMinAngleDegrees">Minimum pairwise angle of <paramref name="Vectors"/>.</param>
/// <param name="FinalObjective">Objective of <paramref name="Vectors"/>.</param>
/// <param name="Restart">Which of the trial's restarts (0-based) this is.</param>
internal sealed record SpreadTrialResult(
    float[] MinAngleDegrees,
    float[] Objective,
    int? DivergedAtStep,
    float[][] Vectors,
    float FinalMinAngleDegrees,
    float FinalObjective,
    int Restart)
{
    /// <summary>The update counts of <see cref="Frames"/> (0: the start); empty when the run kept no trajectory.</summary>
    public int[] FrameSteps { get; init; } = [];

    /// <summary>[frame, N, D] row-major: the vectors after each of <see cref="FrameSteps"/> updates; null when not kept.</summary>
    public float[]? Frames { get; init; }
}
