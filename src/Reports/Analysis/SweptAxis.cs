namespace GradDescent.Reports.Analysis;

/// <summary>A parameter the sweep varies, its role and its values in the order the spec gives them.</summary>
/// <param name="Name">The parameter, e.g. <c>learning_rate</c>.</param>
/// <param name="Role">How the ranking treats it.</param>
/// <param name="Values">Canonical texts, in spec order (then data order for values the spec does not list).</param>
/// <param name="Numeric">Integer or real: charts may put it on an axis (log scale when positive and spanning a decade).</param>
public sealed record SweptAxis(string Name, AxisRole Role, IReadOnlyList<string> Values, bool Numeric)
{
    /// <summary>A value as a number (numeric axes only).</summary>
    public double NumberOf(string value) => double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The position of <paramref name="value"/> in <see cref="Values"/>; −1 if absent.</summary>
    public int IndexOf(string value)
    {
        for (var i = 0; i < Values.Count; i++)
        {
            if (string.Equals(Values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
