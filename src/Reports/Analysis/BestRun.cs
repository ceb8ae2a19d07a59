using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage.Reports;

namespace GradDescent.Reports.Analysis;

/// <summary>A contender's best run in a group (the best seed of its best configuration), with its step series, stored documents and artefacts.</summary>
public sealed record BestRun(ContenderResult Contender, TrialConvergenceRow Trial, IReadOnlyList<StepSeries> Steps, StoredTrial Stored, IReadOnlyList<StoredArtifact> Artifacts)
{
    /// <summary>A step series by name, or null.</summary>
    public float[]? Series(string metric) => Steps.FirstOrDefault(s => s.Metric == metric)?.Values;

    public bool HasArtifact(string name) => Artifacts.Any(a => a.Name == name && a.Size is not null);

    /// <summary>How the step metric moved: steps that went the wrong way, and when it came within 1% and 10% of the optimum.</summary>
    public RunShape Shape(ExperimentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return RunShape.Of(Series(definition.StepMetric), Trial.Optimum, definition.Goal);
    }
}
