using System.Globalization;

namespace GradDescent.Sweeps;

/// <summary>
/// The grid generators <c>{log: [a, b], count: n}</c> and <c>{linear: [a, b], count: n}</c>: n values
/// from a to b inclusive, evenly spaced in log or linear scale. The ends are exactly a and b; inner
/// values are rounded to 15 significant digits so that, e.g., <c>linear: [0, 1], count: 11</c> gives
/// 0.3 rather than 0.30000000000000004.
/// </summary>
internal static class GridGenerator
{
    public const string Log = "log";

    public const string Linear = "linear";

    public static double[] Generate(string kind, double low, double high, int count)
    {
        var values = new double[count];
        values[0] = low;
        if (count == 1)
        {
            return values;
        }

        for (var i = 1; i < count - 1; i++)
        {
            var fraction = (double)i / (count - 1);
            var value = kind == Log
                ? Math.Pow(10, Math.Log10(low) + (fraction * (Math.Log10(high) - Math.Log10(low))))
                : Interpolate(low, high, fraction);
            values[i] = double.Parse(value.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        values[count - 1] = high;
        return values;
    }

    /// <summary>
    /// low + t·(high − low); when the difference overflows (bounds near ±1.8e308) the weighted form
    /// low·(1 − t) + high·t, which cannot overflow between two finite bounds.
    /// </summary>
    public static double Interpolate(double low, double high, double t)
    {
        var span = high - low;
        return double.IsFinite(span) ? low + (t * span) : (low * (1 - t)) + (high * t);
    }
}
