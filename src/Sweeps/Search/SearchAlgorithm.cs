namespace GradDescent.Sweeps.Search;

/// <summary>How a search sweep proposes its trials (<c>search.algorithm</c>).</summary>
[GenerateSerializer]
public enum SearchAlgorithm
{
    /// <summary><c>tpe</c>: the tree-structured Parzen estimator (Bergstra et al. 2011), as Optuna's TPESampler.</summary>
    Tpe,

    /// <summary><c>random</c>: every point drawn from the space, independently of results.</summary>
    Random,

    /// <summary><c>grid</c>: the space's cartesian product in a fixed order (today's grid, conditional parameters included).</summary>
    Grid,

    /// <summary><c>nsga2</c>: the genetic algorithm NSGA-II (Deb et al. 2002) for two or more objectives.</summary>
    Nsga2,
}
