using TorchSharp;

namespace GradDescent.Workers.Optimization;

/// <summary>
/// An optimizer over a fused group of trials. Every parameter tensor has a leading trial dimension
/// of size B; hyperparameters (learning rate, betas...) are per-trial tensors of shape [B], so one
/// call updates B independent trials exactly as B separate optimizers would.
/// </summary>
public interface IBatchedOptimizer : IDisposable
{
    string Name { get; }

    /// <summary>
    /// Updates each parameter in place (no autograd) from the gradient of the loss to minimise.
    /// <paramref name="parameters"/>[k] and <paramref name="gradients"/>[k] have the same shape.
    /// The first call creates the optimizer's state for these shapes.
    /// </summary>
    void Step(IReadOnlyList<torch.Tensor> parameters, IReadOnlyList<torch.Tensor> gradients);

    /// <summary>Multiplies every trial's learning rate by <paramref name="factor"/> (step decay).</summary>
    void ScaleLearningRate(double factor);

    /// <summary>
    /// Keeps only the trials at <paramref name="rows"/> (positions in the current batch, an int64 tensor on the
    /// parameters' device), in that order: every per-trial hyperparameter and state tensor shrinks with them, so the
    /// next <see cref="Step"/> takes parameters with that many trials. Early stopping drops stopped trials this way.
    /// </summary>
    void Keep(torch.Tensor rows);
}
