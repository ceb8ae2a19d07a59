namespace GradDescent.Workers.Tests.Optimization;

/// <summary>
/// One scalar parameter's update, written out in double arithmetic from the Keras (TensorFlow 2)
/// formulas, independently of the tensor code under test.
/// </summary>
internal sealed class ReferenceOptimizer(string name, ReferenceHyperParameters h)
{
    private double m;
    private double v;
    private double accumulator = name == "adagrad" ? h.InitialAccumulator : 0.0;
    private double accumulatedDelta;
    private double momentumProduct = 1.0;
    private long t;

    public double Step(double p, double g)
    {
        t++;
        switch (name)
        {
            case "gd":
            case "sgd":
                return p - (h.LearningRate * g);
            case "momentum":
                v = (h.Momentum * v) - (h.LearningRate * g);
                return p + v;
            case "nesterov":
                v = (h.Momentum * v) - (h.LearningRate * g);
                return p + (h.Momentum * v) - (h.LearningRate * g);
            case "rmsprop":
                accumulator = (h.Rho * accumulator) + ((1 - h.Rho) * g * g);
                return p - (h.LearningRate * g / (Math.Sqrt(accumulator) + h.Epsilon));
            case "adam":
            case "adamw":
                if (name == "adamw")
                {
                    p -= p * h.WeightDecay * h.LearningRate;
                }

                m = (h.Beta1 * m) + ((1 - h.Beta1) * g);
                v = (h.Beta2 * v) + ((1 - h.Beta2) * g * g);
                var alpha = h.LearningRate * Math.Sqrt(1 - Math.Pow(h.Beta2, t)) / (1 - Math.Pow(h.Beta1, t));
                return p - (alpha * m / (Math.Sqrt(v) + h.Epsilon));
            case "adagrad":
                accumulator += g * g;
                return p - (h.LearningRate * g / (Math.Sqrt(accumulator) + h.Epsilon));
            case "adadelta":
                accumulator = (h.Rho * accumulator) + ((1 - h.Rho) * g * g);
                var delta = -Math.Sqrt(accumulatedDelta + h.Epsilon) / Math.Sqrt(accumulator + h.Epsilon) * g;
                accumulatedDelta = (h.Rho * accumulatedDelta) + ((1 - h.Rho) * delta * delta);
                return p + (h.LearningRate * delta);
            case "adamax":
                m = (h.Beta1 * m) + ((1 - h.Beta1) * g);
                v = Math.Max(h.Beta2 * v, Math.Abs(g));
                return p - (h.LearningRate / (1 - Math.Pow(h.Beta1, t)) * m / (v + h.Epsilon));
            case "nadam":
                var uT = h.Beta1 * (1 - (0.5 * Math.Pow(0.96, 0.004 * t)));
                var uNext = h.Beta1 * (1 - (0.5 * Math.Pow(0.96, 0.004 * (t + 1))));
                momentumProduct *= uT;
                var gPrime = g / (1 - momentumProduct);
                m = (h.Beta1 * m) + ((1 - h.Beta1) * g);
                var mPrime = m / (1 - (momentumProduct * uNext));
                v = (h.Beta2 * v) + ((1 - h.Beta2) * g * g);
                var vPrime = v / (1 - Math.Pow(h.Beta2, t));
                var mBar = ((1 - uT) * gPrime) + (uNext * mPrime);
                return p - (h.LearningRate * mBar / (Math.Sqrt(vPrime) + h.Epsilon));
            default:
                throw new ArgumentException($"no reference for '{name}'", nameof(name));
        }
    }
}
