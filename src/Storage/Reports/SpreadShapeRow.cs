namespace GradDescent.Storage.Reports;

/// <summary>One row of the <c>spread_shapes</c> view: the best minimum angle reached for one (vectors, dims).</summary>
public sealed record SpreadShapeRow(int Vectors, int Dims, long Trials, long Completed, double? BestMinAngleDeg, double? KnownOptimumDeg, double? GapDeg);
