using System.Collections.Immutable;

namespace GradDescent.Sweeps.Search;

/// <summary>
/// One point of a search space: per dimension, in the space's order, the value (a number, or the
/// index of a choice) or NaN where a conditional dimension is inactive.
/// </summary>
public sealed record SearchPoint(ImmutableArray<double> Values)
{
    public double this[int dimension] => Values[dimension];

    public bool IsActive(int dimension) => !double.IsNaN(Values[dimension]);

    /// <summary>True when both points hold the same bits in every dimension.</summary>
    public bool SameAs(SearchPoint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Values.Length != Values.Length)
        {
            return false;
        }

        for (var d = 0; d < Values.Length; d++)
        {
            if (BitConverter.DoubleToInt64Bits(Values[d]) != BitConverter.DoubleToInt64Bits(other.Values[d]))
            {
                return false;
            }
        }

        return true;
    }
}
