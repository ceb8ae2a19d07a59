namespace GradDescent.Storage.Reports;

/// <summary>
/// Two-sided 95% Student t quantiles t(0.975, df): exact to 9 digits for df 1–30 (the table the report views hold as
/// <c>student_t_975</c>), the Cornish–Fisher series beyond, as the views compute it.
/// </summary>
public static class StudentT
{
    /// <summary>t(0.975, df) for df = 1 … 30 (index df − 1).</summary>
    public static IReadOnlyList<double> Table975 { get; } =
    [
        12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135,
        2.262157163, 2.228138852, 2.200985160, 2.178812830, 2.160368656, 2.144786688, 2.131449546, 2.119905299,
        2.109815578, 2.100922040, 2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
        2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
    ];

    /// <summary>t(0.975, <paramref name="df"/>), df ≥ 1.</summary>
    public static double Quantile975(int df)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(df, 1);
        if (df <= Table975.Count)
        {
            return Table975[df - 1];
        }

        const double z = 1.959963985, z3 = 7.529257, z5 = 28.922736;
        return z + ((z3 + z) / (4.0 * df)) + (((5 * z5) + (16 * z3) + (3 * z)) / (96.0 * df * df));
    }

    /// <summary>Half-width of the 95% confidence interval of the mean of <paramref name="values"/>; null with fewer than two.</summary>
    public static double? HalfWidth95(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            return null;
        }

        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return Quantile975(values.Count - 1) * sd / Math.Sqrt(values.Count);
    }
}
