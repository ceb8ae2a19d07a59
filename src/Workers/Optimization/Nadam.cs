using GradDescent.Workers.Devices;
using static TorchSharp.torch;

namespace GradDescent.Workers.Optimization;

/// <summary>
/// Nadam as TensorFlow 2's Keras (<c>optimizer_v2</c>) implements it, with the momentum-cache schedule
/// <c>u_t = b1*(1 - 0.5*0.96^(0.004*t))</c> and <c>P_t = u_1*...*u_t</c>:
/// <c>m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g²;
/// mBar = (1-u_t)*g/(1-P_t) + u_{t+1}*m/(1-P_t*u_{t+1}); p -= lr*mBar / (sqrt(v/(1-b2^t)) + eps)</c>.
/// </summary>
internal sealed class Nadam : BatchedOptimizerBase
{
    private const double DecayBase = 0.96;
    private const double ScheduleDecay = 0.004;

    private readonly Tensor beta1;
    private readonly Tensor beta2;
    private readonly Tensor oneMinusBeta1;
    private readonly Tensor oneMinusBeta2;
    private readonly Tensor epsilon;
    private readonly Tensor momentumProduct;
    private Tensor? gradientWeight;
    private Tensor? momentWeight;
    private Tensor? secondMomentCorrection;

    public Nadam(string name, Tensor learningRate, Tensor beta1, Tensor beta2, Tensor epsilon)
        : base(name, learningRate)
    {
        this.beta1 = Own(beta1);
        this.beta2 = Own(beta2);
        oneMinusBeta1 = Own(beta1.OneMinus());
        oneMinusBeta2 = Own(beta2.OneMinus());
        this.epsilon = Own(epsilon);
        momentumProduct = Own(TorchSharp.torch.ones_like(beta1));
    }

    protected override int StateSlots => 2;

    /// <summary>The momentum cache <c>u_t</c> without its <c>b1</c> factor.</summary>
    internal static double Schedule(long t) => 1.0 - (0.5 * Math.Pow(DecayBase, ScheduleDecay * t));

    protected override void BeginStep()
    {
        var uT = beta1.Times(Schedule(Iteration));
        var uNext = beta1.Times(Schedule(Iteration + 1));
        momentumProduct.mul_(uT);
        gradientWeight = uT.OneMinus().div_(momentumProduct.OneMinus());
        momentWeight = uNext / (momentumProduct * uNext).OneMinus();
        secondMomentCorrection = beta2.Power(Iteration).OneMinus();
    }

    protected override void Update(Tensor parameter, Tensor gradient, Tensor[] slots)
    {
        var (m, v) = (slots[0], slots[1]);
        m.lerp_(gradient, PerTrial(oneMinusBeta1, parameter));
        v.lerp_(gradient.Squared(), PerTrial(oneMinusBeta2, parameter));
        var mBar = (gradient * PerTrial(gradientWeight!, parameter)).PlusInPlace(m * PerTrial(momentWeight!, parameter));
        var denominator = (v / PerTrial(secondMomentCorrection!, parameter)).sqrt_().PlusInPlace(PerTrial(epsilon, parameter));
        parameter.sub_(mBar.mul_(PerTrial(LearningRate, parameter)).div_(denominator));
    }
}
