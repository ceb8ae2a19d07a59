namespace GradDescent.Sweeps.Search;

/// <summary>
/// The standard normal distribution in log space, accurate far into the tails, for the Parzen
/// estimators' truncated Gaussian kernels: log Φ, the log probability mass of an interval and the
/// inverse of a truncated CDF. erfc comes from its power series below 2 and its continued fraction
/// above (both evaluated to full double precision), so there are no tabulated constants to trust.
/// </summary>
internal static class Gaussian
{
    private const double Sqrt2 = 1.4142135623730951;

    /// <summary>log √(2π).</summary>
    private const double LogSqrt2Pi = 0.91893853320467274;

    /// <summary>log √π.</summary>
    private const double LogSqrtPi = 0.57236494292470008;

    /// <summary>2 / √π.</summary>
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>Log density of the standard normal.</summary>
    public static double LogPdf(double z) => (-0.5 * z * z) - LogSqrt2Pi;

    /// <summary>erf(x) for |x| &lt; 2 by the series e^{-x²} Σ (2x²)^n x / (1·3···(2n+1)), all terms positive.</summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) >= 2)
        {
            return x > 0 ? 1 - Erfc(x) : Erfc(-x) - 1;
        }

        var x2 = x * x;
        var term = x;
        var sum = x;
        for (var n = 1; n < 200; n++)
        {
            term *= 2 * x2 / ((2 * n) + 1);
            sum += term;
            if (Math.Abs(term) <= Math.Abs(sum) * 1e-17)
            {
                break;
            }
        }

        return TwoOverSqrtPi * Math.Exp(-x2) * sum;
    }

    /// <summary>erfc(x) = 1 − erf(x).</summary>
    public static double Erfc(double x)
    {
        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        return x < 2 ? 1 - Erf(x) : Math.Exp(LogErfcTail(x));
    }

    /// <summary>log erfc(x), finite for every finite x.</summary>
    public static double LogErfc(double x) => x < 2 ? Math.Log(Erfc(x)) : LogErfcTail(x);

    /// <summary>log Φ(z), Φ the standard normal CDF; accurate in both tails.</summary>
    public static double LogCdf(double z)
    {
        if (double.IsNegativeInfinity(z))
        {
            return double.NegativeInfinity;
        }

        if (double.IsPositiveInfinity(z))
        {
            return 0;
        }

        // Φ(z) = erfc(-z/√2)/2. For large z, log(1 - Φ(-z)) keeps the tiny complement.
        return z > 6 ? -Cdf(-z) : Math.Log(0.5) + LogErfc(-z / Sqrt2);
    }

    /// <summary>Φ(z).</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Sqrt2);

    /// <summary>log(Φ(b) − Φ(a)) for a ≤ b, computed on the side where it does not cancel.</summary>
    public static double LogMass(double a, double b)
    {
        if (b <= 0)
        {
            return LogDiff(LogCdf(b), LogCdf(a));
        }

        if (a > 0)
        {
            return LogDiff(LogCdf(-a), LogCdf(-b));
        }

        return LogOnePlus(-Cdf(a) - Cdf(-b));
    }

    /// <summary>
    /// The inverse CDF of the standard normal truncated to [a, b] at probability q ∈ [0, 1]. Worked on
    /// the side of the interval where the probabilities stay below ½ (so nothing cancels), inverted by
    /// <see cref="InverseCdf"/>; where even that underflows, in log space by bisection of log Φ.
    /// </summary>
    public static double TruncatedQuantile(double q, double a, double b)
    {
        if (q <= 0)
        {
            return a;
        }

        if (q >= 1)
        {
            return b;
        }

        if (a >= 0)
        {
            // Mirror into the lower half.
            return -TruncatedQuantile(1 - q, -b, -a);
        }

        var lower = Cdf(a);
        var mass = b <= 0 ? Cdf(b) - lower : 1 - lower - Cdf(-b);
        var p = lower + (q * mass);
        if (p <= 0.5)
        {
            return p > 1e-300 ? Math.Clamp(InverseCdf(p), a, b) : InverseLogCdf(LogAdd(LogCdf(a), Math.Log(q) + LogMass(a, b)));
        }

        var upper = Cdf(-b) + ((1 - q) * mass);
        return upper > 1e-300 ? Math.Clamp(-InverseCdf(upper), a, b) : -InverseLogCdf(LogAdd(LogCdf(-b), Math.Log(1 - q) + LogMass(a, b)));
    }

    /// <summary>
    /// z with Φ(z) = p for 0 &lt; p ≤ ½: the rational approximation of Abramowitz and Stegun 26.2.23
    /// (error below 4.5e-4), then three Halley steps on the accurate Φ, which leave it exact to rounding.
    /// </summary>
    public static double InverseCdf(double p)
    {
        var t = Math.Sqrt(-2 * Math.Log(p));
        var x = -(t - ((2.515517 + (0.802853 * t) + (0.010328 * t * t)) / (1 + (1.432788 * t) + (0.189269 * t * t) + (0.001308 * t * t * t))));
        for (var i = 0; i < 3; i++)
        {
            var error = Cdf(x) - p;
            var u = error * Math.Exp((0.5 * x * x) + LogSqrt2Pi);
            x -= u / (1 + (0.5 * x * u));
        }

        return x;
    }

    /// <summary>z with log Φ(z) = <paramref name="logP"/>, by 100 bisection steps on [-100, 100].</summary>
    public static double InverseLogCdf(double logP)
    {
        double low = -100, high = 100, middle = 0;
        for (var i = 0; i < 100; i++)
        {
            middle = 0.5 * (low + high);
            if (LogCdf(middle) < logP)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return middle;
    }

    /// <summary>log(e^p + e^q).</summary>
    public static double LogAdd(double p, double q)
    {
        if (double.IsNegativeInfinity(p))
        {
            return q;
        }

        if (double.IsNegativeInfinity(q))
        {
            return p;
        }

        var max = Math.Max(p, q);
        return max + Math.Log(Math.Exp(p - max) + Math.Exp(q - max));
    }

    /// <summary>log(e^p − e^q) for p ≥ q.</summary>
    private static double LogDiff(double p, double q) => p + Math.Log(-ExpMinusOne(q - p));

    /// <summary>e^x − 1 without cancellation near 0 (Kahan's trick; .NET's ExpM1 is exp(x) − 1).</summary>
    private static double ExpMinusOne(double x)
    {
        var u = Math.Exp(x);
        if (u == 1)
        {
            return x;
        }

        var um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }

    /// <summary>log(1 + x) without cancellation near 0 (Kahan's trick).</summary>
    private static double LogOnePlus(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>
    /// log erfc(x) for x ≥ 2: −x² − log √π + log K with K = 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
    /// the continued fraction evaluated by the modified Lentz method.
    /// </summary>
    private static double LogErfcTail(double x)
    {
        const double tiny = 1e-300;
        var f = x;
        var c = x;
        var d = 0.0;
        for (var n = 1; n < 5000; n++)
        {
            var an = n * 0.5;
            d = x + (an * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = x + (an / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return (-x * x) - LogSqrtPi - Math.Log(f);
    }
}
