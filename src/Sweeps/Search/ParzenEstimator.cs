namespace GradDescent.Sweeps.Search;

/// <summary>
/// A univariate Parzen estimator as TPE builds one per parameter from the good or the bad trials
/// (Bergstra et al. 2011; defaults and bandwidth rules as Optuna 3.1's <c>_ParzenEstimator</c>): one
/// kernel per observation plus a prior kernel, weighted (<see cref="DefaultWeights"/>, prior weight 1).
/// Numbers live in a model space: the log for <c>log_uniform</c>, integers with a step of 1 whose kernel
/// mass is the Gaussian mass of [x − ½, x + ½]. Kernels are Gaussians truncated to the range, centred on the
/// observations, each as wide as the larger gap to its neighbours (the outermost ones: the inner gap),
/// clipped to [range / min(100, kernels), range]; the prior kernel sits in the middle with the whole range
/// as its width. A choice gets, per observation, the observed choice with weight 1 plus
/// prior_weight / (n + 1) on every choice, and a uniform prior kernel.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly RandomDimension draw;
    private readonly double[] weights;
    private readonly double[] mus = [];
    private readonly double[] sigmas = [];
    private readonly double[] logWeights;
    private readonly double[] logMasses = [];
    private readonly double[] logSigmas = [];
    private readonly double[][] probabilities = [];
    private readonly double low;
    private readonly double high;

    private ParzenEstimator(RandomDimension draw, IReadOnlyList<double> observations, IReadOnlyList<double>? observationWeights, double priorWeight)
    {
        this.draw = draw;
        var n = observations.Count;
        weights = new double[n + 1];
        var ramp = observationWeights ?? DefaultWeights(n);
        for (var i = 0; i < n; i++)
        {
            weights[i] = ramp[i];
        }

        weights[n] = priorWeight;
        var total = weights.Sum();
        for (var i = 0; i <= n; i++)
        {
            weights[i] /= total;
        }

        logWeights = Array.ConvertAll(weights, Math.Log);
        if (draw.Distribution == RandomDistribution.Choice)
        {
            probabilities = CategoricalKernels(observations, draw.Choices.Length, priorWeight);
            return;
        }

        (low, high) = Bounds(draw);
        mus = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            mus[i] = ToModel(observations[i]);
        }

        mus[n] = 0.5 * (low + high);
        sigmas = Bandwidths(mus, low, high);
        logMasses = new double[n + 1];
        logSigmas = new double[n + 1];
        for (var k = 0; k <= n; k++)
        {
            logMasses[k] = Gaussian.LogMass((low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k]);
            logSigmas[k] = Math.Log(sigmas[k]);
        }
    }

    public int Kernels => weights.Length;

    /// <summary>Builds the estimator of <paramref name="observations"/> (values as in a <see cref="SearchPoint"/>, in trial order).</summary>
    /// <param name="observationWeights">Weights per observation, or null for <see cref="DefaultWeights"/>.</param>
    public static ParzenEstimator Create(RandomDimension draw, IReadOnlyList<double> observations, IReadOnlyList<double>? observationWeights, double priorWeight = 1.0)
    {
        ArgumentNullException.ThrowIfNull(draw);
        ArgumentNullException.ThrowIfNull(observations);
        if (observationWeights is not null && observationWeights.Count != observations.Count)
        {
            throw new ArgumentException("one weight per observation", nameof(observationWeights));
        }

        return new ParzenEstimator(draw, observations, observationWeights, priorWeight);
    }

    /// <summary>
    /// Optuna's default weights: 1 for each of the last 25 observations, a linear ramp from 1/n up to 1
    /// for the older ones, so old results fade.
    /// </summary>
    public static double[] DefaultWeights(int n)
    {
        var w = new double[n];
        if (n < 25)
        {
            Array.Fill(w, 1.0);
            return w;
        }

        var rampLength = n - 25;
        for (var i = 0; i < rampLength; i++)
        {
            w[i] = rampLength == 1 ? 1.0 / n : (1.0 / n) + (i * (1.0 - (1.0 / n)) / (rampLength - 1));
        }

        for (var i = rampLength; i < n; i++)
        {
            w[i] = 1.0;
        }

        return w;
    }

    /// <summary>
    /// Draws <paramref name="size"/> values in model space (a choice's index; an integer already rounded):
    /// first every kernel index, then every value, one uniform number each.
    /// </summary>
    public double[] Sample(SearchRandom rng, int size)
    {
        var kernels = new int[size];
        for (var i = 0; i < size; i++)
        {
            kernels[i] = PickKernel(rng.NextDouble());
        }

        var samples = new double[size];
        for (var i = 0; i < size; i++)
        {
            var u = rng.NextDouble();
            var k = kernels[i];
            if (draw.Distribution == RandomDistribution.Choice)
            {
                samples[i] = PickChoice(probabilities[k], u);
                continue;
            }

            var a = (low - mus[k]) / sigmas[k];
            var b = (high - mus[k]) / sigmas[k];
            var value = Math.Clamp(mus[k] + (sigmas[k] * Gaussian.TruncatedQuantile(u, a, b)), low, high);
            samples[i] = draw.Distribution == RandomDistribution.IntUniform
                ? Math.Clamp(Math.Round(value - draw.Low, MidpointRounding.ToEven) + draw.Low, draw.Low, draw.High)
                : value;
        }

        return samples;
    }

    /// <summary>The log density (log probability for choices and integers) of a model-space value.</summary>
    public double LogPdf(double x) => LogMixture(x, density: true);

    /// <summary>
    /// What TPE compares as l(x)/g(x): <see cref="LogPdf"/>, except that a continuous kernel counts as its
    /// truncated standard-normal density φ(z)/Z without the 1/σ factor, so wide kernels weigh more. That
    /// is how Optuna 3.1 computes it (optuna issue #5109; later releases made it a true density); on this
    /// project's benchmarks this form finds better points (docs/search.md, "Kernel scale"), so the sampler keeps it.
    /// Choices and integers are probabilities either way.
    /// </summary>
    public double LogScore(double x) => LogMixture(x, density: false);

    private double LogMixture(double x, bool density)
    {
        // log Σ_k w_k p_k(x), shifted by the largest term so nothing underflows.
        var terms = new double[weights.Length];
        var max = double.NegativeInfinity;
        for (var k = 0; k < terms.Length; k++)
        {
            terms[k] = logWeights[k] + KernelLogPdf(k, x, density);
            max = Math.Max(max, terms[k]);
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        var sum = 0.0;
        foreach (var term in terms)
        {
            sum += Math.Exp(term - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>A model-space value as a point value (exp of a log, the index of a choice, the integer).</summary>
    public double ToPoint(double model) => draw.Distribution == RandomDistribution.LogUniform
        ? Math.Clamp(Math.Exp(model), draw.Low, draw.High)
        : model;

    private double KernelLogPdf(int k, double x, bool density)
    {
        if (draw.Distribution == RandomDistribution.Choice)
        {
            return Math.Log(probabilities[k][(int)x]);
        }

        // A kernel is truncated to [low, high]: its density and its masses are divided by the mass there.
        var mu = mus[k];
        var sigma = sigmas[k];
        if (draw.Distribution == RandomDistribution.IntUniform)
        {
            var upper = Math.Min(x + 0.5, high);
            var lower = Math.Max(x - 0.5, low);
            return Gaussian.LogMass((lower - mu) / sigma, (upper - mu) / sigma) - logMasses[k];
        }

        if (x < low || x > high)
        {
            return double.NegativeInfinity;
        }

        return Gaussian.LogPdf((x - mu) / sigma) - (density ? logSigmas[k] : 0) - logMasses[k];
    }

    private int PickKernel(double u)
    {
        var cumulative = 0.0;
        for (var k = 0; k < weights.Length - 1; k++)
        {
            cumulative += weights[k];
            if (u < cumulative)
            {
                return k;
            }
        }

        return weights.Length - 1;
    }

    private static int PickChoice(double[] probabilities, double u)
    {
        var cumulative = 0.0;
        for (var c = 0; c < probabilities.Length - 1; c++)
        {
            cumulative += probabilities[c];
            if (cumulative >= u)
            {
                return c;
            }
        }

        return probabilities.Length - 1;
    }

    private double ToModel(double value) => draw.Distribution == RandomDistribution.LogUniform ? Math.Log(value) : value;

    private static (double Low, double High) Bounds(RandomDimension draw) => draw.Distribution switch
    {
        RandomDistribution.LogUniform => (Math.Log(draw.Low), Math.Log(draw.High)),
        RandomDistribution.IntUniform => (draw.Low - 0.5, draw.High + 0.5),
        _ => (draw.Low, draw.High),
    };

    /// <summary>Kernel widths by neighbour gaps (observations and prior sorted with the range's ends), clipped; the prior's is the range.</summary>
    private static double[] Bandwidths(double[] mus, double low, double high)
    {
        var count = mus.Length;
        var order = Enumerable.Range(0, count).OrderBy(i => mus[i]).ToArray();
        var withEnds = new double[count + 2];
        withEnds[0] = low;
        for (var i = 0; i < count; i++)
        {
            withEnds[i + 1] = mus[order[i]];
        }

        withEnds[count + 1] = high;
        var sorted = new double[count];
        for (var i = 0; i < count; i++)
        {
            sorted[i] = Math.Max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]);
        }

        // Without "consider endpoints" the outermost kernels ignore the gap to the range's end.
        if (count >= 2)
        {
            sorted[0] = withEnds[2] - withEnds[1];
            sorted[count - 1] = withEnds[count] - withEnds[count - 1];
        }

        var range = high - low;
        var minimum = range / Math.Min(100.0, 1.0 + count);
        var sigmas = new double[count];
        for (var i = 0; i < count; i++)
        {
            sigmas[order[i]] = Math.Clamp(sorted[i], minimum, range);
        }

        sigmas[count - 1] = range;
        return sigmas;
    }

    private static double[][] CategoricalKernels(IReadOnlyList<double> observations, int choices, double priorWeight)
    {
        var n = observations.Count;
        var kernels = new double[n + 1][];
        var floor = priorWeight / (n + 1);
        for (var k = 0; k <= n; k++)
        {
            var row = new double[choices];
            Array.Fill(row, floor);
            if (k < n)
            {
                row[(int)observations[k]] += 1;
            }

            var sum = row.Sum();
            for (var c = 0; c < choices; c++)
            {
                row[c] /= sum;
            }

            kernels[k] = row;
        }

        return kernels;
    }
}
