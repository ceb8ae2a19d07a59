using GradDescent.Workers.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary>
/// Shared mechanics of the batched optimizers: owns the per-trial hyperparameter tensors and the
/// per-parameter state, counts iterations, checks shapes, and runs each step without autograd inside
/// its own dispose scope. Subclasses supply the update rule.
/// </summary>
internal abstract class BatchedOptimizerBase : IBatchedOptimizer
{
    private readonly List<Tensor> owned = [];
    private Tensor[][]? state;
    private long[][]? shapes;

    protected BatchedOptimizerBase(string name, Tensor learningRate)
    {
        Name = name;
        LearningRate = Own(learningRate);
        Trials = learningRate.shape[0];
    }

    public string Name { get; }

    /// <summary>The per-trial learning rate, shape [B].</summary>
    protected Tensor LearningRate { get; }

    /// <summary>The number of fused trials B.</summary>
    protected long Trials { get; private set; }

    /// <summary>The 1-based number of the step being applied (Keras' <c>iterations + 1</c>).</summary>
    protected long Iteration { get; private set; }

    /// <summary>How many state tensors each parameter carries (0 for plain gradient descent).</summary>
    protected abstract int StateSlots { get; }

    public void Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> gradients)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        CheckShapes(parameters, gradients);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        state ??= CreateState(parameters);
        Iteration++;
        BeginStep();
        for (var k = 0; k < parameters.Count; k++)
        {
            Update(parameters[k], gradients[k], state[k]);
        }
    }

    public void ScaleLearningRate(double factor) => LearningRate.TimesInPlace(factor);

    /// <summary>
    /// Every owned tensor is per trial (hyperparameters [B], state [B, ...]): each is pointed at its kept rows in place
    /// (<c>set_</c>), so the subclasses' fields stay valid.
    /// </summary>
    public void Keep(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var tensor in owned)
        {
            if (tensor.dim() == 0 || tensor.shape[0] != Trials)
            {
                throw new InvalidOperationException($"{Name}: an owned tensor of shape [{string.Join(", ", tensor.shape)}] is not per trial");
            }

            tensor.set_(tensor.index_select(0, rows));
        }

        Trials = rows.shape[0];
        shapes = null;
    }

    public void Dispose()
    {
        foreach (var tensor in owned)
        {
            tensor.Dispose();
        }

        owned.Clear();
    }

    /// <summary>Takes ownership of a long-lived tensor: kept out of any dispose scope, freed by <see cref="Dispose"/>.</summary>
    protected Tensor Own(Tensor tensor)
    {
        tensor.DetachFromDisposeScope();
        owned.Add(tensor);
        return tensor;
    }

    /// <summary>Fills a parameter's state slots at the first step; zeros unless overridden.</summary>
    protected virtual void InitializeState(Tensor parameter, Tensor[] slots)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = torch.zeros_like(parameter);
        }
    }

    /// <summary>Computes this step's per-trial coefficients (valid until the step ends).</summary>
    protected virtual void BeginStep()
    {
    }

    /// <summary>Updates one parameter [B, ...] in place from its gradient and state.</summary>
    protected abstract void Update(Tensor parameter, Tensor gradient, Tensor[] slots);

    /// <summary>A per-trial [B] tensor shaped to broadcast against <paramref name="like"/>.</summary>
    protected static Tensor PerTrial(Tensor perTrial, Tensor like) => BatchBroadcast.Expand(perTrial, like);

    private Tensor[][] CreateState(IReadOnlyList<Tensor> parameters)
    {
        var created = new Tensor[parameters.Count][];
        for (var k = 0; k < parameters.Count; k++)
        {
            created[k] = new Tensor[StateSlots];
            InitializeState(parameters[k], created[k]);
            foreach (var slot in created[k])
            {
                Own(slot);
            }
        }

        return created;
    }

    private void CheckShapes(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> gradients)
    {
        if (parameters.Count != gradients.Count)
        {
            throw new ArgumentException($"{parameters.Count} parameters but {gradients.Count} gradients", nameof(gradients));
        }

        for (var k = 0; k < parameters.Count; k++)
        {
            var shape = parameters[k].shape;
            if (shape.Length == 0 || shape[0] != Trials)
            {
                throw new ArgumentException(
                    $"parameter {k} has shape [{string.Join(", ", shape)}]; its leading dimension must be the trial count {Trials}", nameof(parameters));
            }

            if (!gradients[k].shape.SequenceEqual(shape))
            {
                throw new ArgumentException(
                    $"gradient {k} has shape [{string.Join(", ", gradients[k].shape)}] but its parameter has [{string.Join(", ", shape)}]", nameof(gradients));
            }
        }

        if (shapes is null)
        {
            shapes = parameters.Select(p => p.shape).ToArray();
            return;
        }

        if (shapes.Length != parameters.Count || !shapes.Zip(parameters).All(pair => pair.First.SequenceEqual(pair.Second.shape)))
        {
            throw new ArgumentException("the parameters' count or shapes changed since the first step", nameof(parameters));
        }
    }
}
