using GradDescent.Reports.Document;
using GradDescent.Storage.Reports;

namespace GradDescent.Reports;

/// <summary>The experiment-specific tables: vector-spread shapes and attack success.</summary>
public static class ExperimentTables
{
    public static ReportTable SpreadShapes(IReadOnlyList<SpreadShapeRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new ReportTable(
            "spread_shapes",
            ["vectors", "dims", "trials", "completed", "best min angle (°)", "known optimum (°)", "gap (°)"],
            [.. rows.Select(r => new[] { Numbers.Show(r.Vectors), Numbers.Show(r.Dims), Numbers.Show(r.Trials), Numbers.Show(r.Completed), Numbers.Show(r.BestMinAngleDeg), Numbers.Show(r.KnownOptimumDeg), Numbers.Show(r.GapDeg) })],
            [.. rows.Select(r => new[] { Numbers.Csv(r.Vectors), Numbers.Csv(r.Dims), Numbers.Csv(r.Trials), Numbers.Csv(r.Completed), Numbers.Csv(r.BestMinAngleDeg), Numbers.Csv(r.KnownOptimumDeg), Numbers.Csv(r.GapDeg) })])
        {
            CsvHeaders = ["vectors", "dims", "trials", "completed", "best_min_angle_deg", "known_optimum_deg", "gap_deg"],
        };
    }

    public static ReportTable AttackSuccess(IReadOnlyList<AttackSuccessRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new ReportTable(
            "attack_success",
            ["optimizer", "step (1/255)", "learning rate", "trials", "flipped", "success rate", "mean target probability", "mean iterations to flip"],
            [.. rows.Select(r => new[] { r.Optimizer, Numbers.Show(r.Step), Numbers.Show(r.LearningRate), Numbers.Show(r.Trials), Numbers.Show(r.Flipped), Numbers.Percent(r.SuccessRate), Numbers.Show(r.MeanTargetProbability), Numbers.Show(r.MeanIterationsToFlip) })],
            [.. rows.Select(r => new[] { r.Optimizer, Numbers.Csv(r.Step), Numbers.Csv(r.LearningRate), Numbers.Csv(r.Trials), Numbers.Csv(r.Flipped), Numbers.Csv(r.SuccessRate), Numbers.Csv(r.MeanTargetProbability), Numbers.Csv(r.MeanIterationsToFlip) })])
        {
            CsvHeaders = ["optimizer", "step", "learning_rate", "trials", "flipped", "success_rate", "mean_target_probability", "mean_iterations_to_flip"],
        };
    }
}
