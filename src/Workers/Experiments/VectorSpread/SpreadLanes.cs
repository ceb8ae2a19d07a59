using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Optimization;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// The lanes of a fused vector-spread run: every restart of every trial is one lane (lane = trial ·
/// restarts + restart), with its hyperparameters on the host. The kernel and the tensor program read
/// the same values, so both compute the same thing.
/// </summary>
internal sealed class SpreadLanes
{
    /// <summary>
    /// The restarts' starting exponents spread geometrically over this fraction of the way (in log s)
    /// from energy_s to energy_s_final: with the defaults 1 and 1000, from 1 to √1000 ≈ 31.6.
    /// </summary>
    public const double RestartSpread = 0.5;

    private readonly double[] startExponent;
    private readonly double[] logExponentRatio;

    public SpreadLanes(SpreadSettings settings, IReadOnlyList<TrialInput> trials)
    {
        Settings = settings;
        Restarts = settings.Restarts;
        Count = trials.Count * Restarts;
        var parameters = new ParameterSet[Count];
        LearningRate = new float[Count];
        Decay = new float[Count];
        ClipNorm = new float[Count];
        Beta1 = new float[Count];
        Beta2 = new float[Count];
        Epsilon = new float[Count];
        startExponent = new double[Count];
        logExponentRatio = new double[Count];
        for (var lane = 0; lane < Count; lane++)
        {
            var p = trials[lane / Restarts].Parameters;
            parameters[lane] = p;
            LearningRate[lane] = (float)p.GetDouble("learning_rate");
            Decay[lane] = (float)p.GetDouble("lr_decay");
            var clip = p.GetDoubleOrNull("clip_norm");
            ClipNorm[lane] = clip is { } c ? (float)c : float.PositiveInfinity;
            AnyClip |= clip is not null;
            Beta1[lane] = (float)(p.GetDoubleOrNull("beta1") ?? 0.9);
            Beta2[lane] = (float)(p.GetDoubleOrNull("beta2") ?? 0.999);
            Epsilon[lane] = (float)(p.GetDoubleOrNull("epsilon") ?? BatchedOptimizerFactory.DefaultEpsilon);
            if (settings.IsEnergy)
            {
                var (first, last) = (p.GetDouble("energy_s"), p.GetDouble("energy_s_final"));
                var restart = lane % Restarts;
                var share = Restarts == 1 ? 0.0 : RestartSpread * restart / (Restarts - 1);
                startExponent[lane] = first * Math.Pow(last / first, share);
                logExponentRatio[lane] = Math.Log(last / startExponent[lane]);
            }
        }

        Parameters = parameters;
    }

    public SpreadSettings Settings { get; }

    public int Count { get; }

    public int Restarts { get; }

    /// <summary>Each lane's trial parameters (a trial's restarts share them).</summary>
    public IReadOnlyList<ParameterSet> Parameters { get; }

    public float[] LearningRate { get; }

    /// <summary>lr_decay of each lane (the ascent rule decays each lane by its own factor).</summary>
    public float[] Decay { get; }

    /// <summary>Global-norm clip of each lane's gradient; +infinity where the trial does not clip.</summary>
    public float[] ClipNorm { get; }

    public bool AnyClip { get; }

    /// <summary>Adam's hyperparameters (Keras defaults where a trial leaves them out), as the tensor optimizer reads them.</summary>
    public float[] Beta1 { get; }

    public float[] Beta2 { get; }

    public float[] Epsilon { get; }

    /// <summary>
    /// The energy exponent of <paramref name="lane"/> at evaluation <paramref name="evaluation"/> (0 …
    /// iterations): geometric from the lane's start to energy_s_final, reached at the last update.
    /// </summary>
    public float ExponentAt(int lane, int evaluation)
    {
        var iterations = Settings.Iterations;
        var progress = iterations <= 1 ? 1.0 : Math.Min(1.0, (double)evaluation / (iterations - 1));
        return (float)(startExponent[lane] * Math.Exp(progress * logExponentRatio[lane]));
    }

    /// <summary>Every lane's <see cref="ExponentAt"/>.</summary>
    public void ExponentsAt(int evaluation, Span<float> exponents)
    {
        for (var lane = 0; lane < exponents.Length; lane++)
        {
            exponents[lane] = ExponentAt(lane, evaluation);
        }
    }
}
