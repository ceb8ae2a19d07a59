namespace GradDescent.Storage.Reports;

/// <summary>One row of the <c>attack_success</c> view: how often one (optimizer, step, learning rate) flipped the label.</summary>
public sealed record AttackSuccessRow(
    string Optimizer, double? Step, double? LearningRate, long Trials, long Flipped, double SuccessRate, double? MeanTargetProbability, double? MeanIterationsToFlip);
