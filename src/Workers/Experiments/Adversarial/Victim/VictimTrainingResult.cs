namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>A trained victim and how well it did.</summary>
/// <param name="Model">The network, in eval mode.</param>
/// <param name="TrainAccuracy">Share of training images classified correctly after the last epoch.</param>
/// <param name="ValidationAccuracy">Share of held-out images classified correctly; null when none were held out.</param>
/// <param name="TrainImages">Images trained on.</param>
/// <param name="ValidationImages">Images held out.</param>
/// <param name="Elapsed">Wall time of the training loop (decoding excluded).</param>
public sealed record VictimTrainingResult(
    VictimModel Model,
    double TrainAccuracy,
    double? ValidationAccuracy,
    int TrainImages,
    int ValidationImages,
    TimeSpan Elapsed);
