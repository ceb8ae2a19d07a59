namespace GradDescent.Sweeps;

/// <summary>Trial-count arithmetic that caps at <see cref="long.MaxValue"/> instead of overflowing.</summary>
internal static class SaturatingMath
{
    public static long Multiply(long a, long b)
    {
        if (a == 0 || b == 0)
        {
            return 0;
        }

        return a > long.MaxValue / b ? long.MaxValue : a * b;
    }

    public static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
