namespace GradDescent.Sweeps.Search;

/// <summary>
/// What TPE pretends a proposed but not yet finished trial scored, so that the points of one batch
/// spread out instead of piling onto the same spot (<c>search.liar</c>; Ginsbourger et al. 2010).
/// </summary>
[GenerateSerializer]
public enum ConstantLiar
{
    /// <summary><c>worst</c>: ranked after every real result (Optuna's constant_liar): pending points repel the next ones.</summary>
    Worst,

    /// <summary><c>mean</c>: the mean of the results seen so far.</summary>
    Mean,

    /// <summary><c>best</c>: the best result seen so far: pending points attract the next ones.</summary>
    Best,
}
