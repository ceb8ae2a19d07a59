namespace GradDescent.Reports.Analysis;

/// <summary>What a swept parameter is to the comparison.</summary>
public enum AxisRole
{
    /// <summary>Names the contenders (optimizer, method, …): the ranking compares their values.</summary>
    Contender,

    /// <summary>Defines the problem instance (vectors, dims, data, image): contenders are ranked within each value.</summary>
    Problem,

    /// <summary>A setting each contender is tuned over (learning rate, momentum, iterations…): each takes its best value.</summary>
    Tuning,
}
