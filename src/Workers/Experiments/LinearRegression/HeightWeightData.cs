namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// Paired heights (inches) and weights (lbs), float32 as the article, with the exact least-squares
/// line through them.
/// </summary>
public sealed class HeightWeightData
{
    public HeightWeightData(float[] heights, float[] weights, string source, string identity)
    {
        ArgumentNullException.ThrowIfNull(heights);
        ArgumentNullException.ThrowIfNull(weights);
        if (heights.Length != weights.Length)
        {
            throw new ArgumentException($"{heights.Length} heights but {weights.Length} weights", nameof(weights));
        }

        Heights = heights;
        Weights = weights;
        Source = source;
        Identity = identity;
        Exact = LeastSquaresSolution.Fit(heights, weights);
        artifact = new Lazy<Abstractions.Trials.TrialArtifact>(() => HeightWeightArtifact.Create(this));
    }

    private readonly Lazy<Abstractions.Trials.TrialArtifact> artifact;

    public IReadOnlyList<float> Heights { get; }

    public IReadOnlyList<float> Weights { get; }

    public int Count => Heights.Count;

    /// <summary>What results report as the data: the file's full path or the synthetic sample's description.</summary>
    public string Source { get; }

    /// <summary>Distinguishes data sets in fusion keys: the synthetic tag, or full path plus last-write time.</summary>
    public string Identity { get; }

    /// <summary>The closed-form least-squares fit, computed in double.</summary>
    public LeastSquaresSolution Exact { get; }

    /// <summary>The data as the artefact stored with trials (<see cref="HeightWeightArtifact"/>), made once.</summary>
    public Abstractions.Trials.TrialArtifact Artifact => artifact.Value;
}
