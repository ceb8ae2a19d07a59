using GradDescent.Abstractions.Trials;
using GradDescent.Storage.Reports;

namespace GradDescent.Reports;

/// <summary>An optimizer's best trial with its step series and stored document.</summary>
public sealed record BestTrial(OptimizerSummaryRow Summary, TrialConvergenceRow Trial, IReadOnlyList<StepSeries> Steps, StoredTrial Stored);
