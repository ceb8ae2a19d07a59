using GradDescent.Workers.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary>
/// Keras <c>Adamax</c>: <c>m = b1*m + (1-b1)*g; u = max(b2*u, |g|); p -= lr/(1-b1^t) * m / (u + eps)</c>.
/// </summary>
internal sealed class Adamax : BatchedOptimizerBase
{
    private readonly Tensor beta1;
    private readonly Tensor beta2;
    private readonly Tensor oneMinusBeta1;
    private readonly Tensor epsilon;
    private Tensor? stepSize;

    public Adamax(string name, Tensor learningRate, Tensor beta1, Tensor beta2, Tensor epsilon)
        : base(name, learningRate)
    {
        this.beta1 = Own(beta1);
        this.beta2 = Own(beta2);
        oneMinusBeta1 = Own(beta1.OneMinus());
        this.epsilon = Own(epsilon);
    }

    protected override int StateSlots => 2;

    protected override void BeginStep() => stepSize = LearningRate / beta1.Power(Iteration).OneMinus();

    protected override void Update(Tensor parameter, Tensor gradient, Tensor[] slots)
    {
        var (m, u) = (slots[0], slots[1]);
        m.lerp_(gradient, PerTrial(oneMinusBeta1, parameter));
        u.copy_(torch.maximum(u * PerTrial(beta2, parameter), gradient.abs()));
        var denominator = u.Plus(PerTrial(epsilon, parameter));
        parameter.sub_(m * PerTrial(stepSize!, parameter) / denominator);
    }
}
