using GradDescent.Abstractions.Search;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;
using GradDescent.Sweeps;

namespace GradDescent.Grains.Sweeps;

/// <summary>Trials of a spec's fixed plan: every index is available from the start and computed from the index alone.</summary>
internal sealed class PlanTrialSource(SweepPlan plan) : ITrialSource
{
    private readonly SweepObjectives objectives = new(plan.Spec.Search);

    public long Total => plan.TotalTrials;

    public long Available => plan.TotalTrials;

    public IReadOnlyCollection<string> ObservedSeries => [];

    public IReadOnlyList<SweepObjectiveRecord> Objectives => objectives.Records;

    public int GroupOf(long index) => 0;

    public TrialPoint GetTrial(long index) => plan.GetTrial(index);

    public StoppingPlan? StoppingPlanFor(int group) => null;

    public ValueTask PrepareAsync() => ValueTask.CompletedTask;

    public TrialResult Complete(TrialResult result) => objectives.Complete(result);

    public void Observe(TrialResult result)
    {
    }
}
