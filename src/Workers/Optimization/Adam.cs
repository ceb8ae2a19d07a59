using GradDescent.Workers.Devices;
using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary>
/// Keras <c>Adam</c>: <c>m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g²;
/// alpha = lr*sqrt(1-b2^t)/(1-b1^t); p -= alpha*m / (sqrt(v) + eps)</c>. With a weight decay
/// (Keras <c>AdamW</c>) each step first applies <c>p -= p*wd*lr</c>.
/// </summary>
internal sealed class Adam : BatchedOptimizerBase
{
    private readonly Tensor beta1;
    private readonly Tensor beta2;
    private readonly Tensor oneMinusBeta1;
    private readonly Tensor oneMinusBeta2;
    private readonly Tensor epsilon;
    private readonly Tensor? weightDecay;
    private Tensor? alpha;
    private Tensor? decay;

    public Adam(string name, Tensor learningRate, Tensor beta1, Tensor beta2, Tensor epsilon, Tensor? weightDecay)
        : base(name, learningRate)
    {
        this.beta1 = Own(beta1);
        this.beta2 = Own(beta2);
        oneMinusBeta1 = Own(beta1.OneMinus());
        oneMinusBeta2 = Own(beta2.OneMinus());
        this.epsilon = Own(epsilon);
        this.weightDecay = weightDecay is null ? null : Own(weightDecay);
    }

    protected override int StateSlots => 2;

    protected override void BeginStep()
    {
        var t = (double)Iteration;
        alpha = LearningRate * beta2.Power(t).OneMinus().sqrt_() / beta1.Power(t).OneMinus();
        decay = weightDecay is null ? null : weightDecay * LearningRate;
    }

    protected override void Update(Tensor parameter, Tensor gradient, Tensor[] slots)
    {
        if (decay is not null)
        {
            parameter.sub_(parameter * PerTrial(decay, parameter));
        }

        var (m, v) = (slots[0], slots[1]);
        m.lerp_(gradient, PerTrial(oneMinusBeta1, parameter));
        v.lerp_(gradient.Squared(), PerTrial(oneMinusBeta2, parameter));
        var denominator = v.sqrt().PlusInPlace(PerTrial(epsilon, parameter));
        parameter.sub_(m * PerTrial(alpha!, parameter) / denominator);
    }
}
