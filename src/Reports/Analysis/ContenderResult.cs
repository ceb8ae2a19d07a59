using GradDescent.Storage.Reports;

namespace GradDescent.Reports.Analysis;

/// <summary>
/// A contender within one problem group, at its best configuration: among its configurations whose seeds all converged
/// (if none did, among the rest that completed any), the best mean; ties go to the configuration listed first.
/// </summary>
public sealed record ContenderResult
{
    public required string Contender { get; init; }

    public required string Group { get; init; }

    /// <summary>The best configuration; null when no trial of the contender completed in this group.</summary>
    public required ConfigurationResult? Best { get; init; }

    /// <summary>The contender's configurations in the group (the grid over the tuned parameters).</summary>
    public required int Configurations { get; init; }

    /// <summary>Configurations in which every seed converged (completed, within the far factor of the optimum).</summary>
    public required int ConvergedConfigurations { get; init; }

    /// <summary>Configurations in which at least one seed diverged (NaN or infinity).</summary>
    public required int DivergedConfigurations { get; init; }

    public required long Trials { get; init; }

    public required double MeanDurationMs { get; init; }

    /// <summary>Mean over the best configuration's completed seeds that got there of the first step within 1% of the optimum.</summary>
    public required double? IterationsToOptimum { get; init; }

    public required int SeedsWithinOptimum { get; init; }

    /// <summary>1 = best in the group; contenders within the practical-equivalence margin of a rank's leader share its rank. Null: nothing completed.</summary>
    public int? Rank { get; init; }

    public LearningRateCurveRow? Row => Best?.Row;

    public double? Mean => Best?.Row.Mean;

    public bool Ranked => Rank is not null;
}
