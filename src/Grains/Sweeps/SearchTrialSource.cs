using GradDescent.Abstractions.Search;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;
using GradDescent.Sweeps;
using GradDescent.Sweeps.Search;

namespace GradDescent.Grains.Sweeps;

/// <summary>
/// Trials of an adaptive search (TPE, NSGA-II, early stopping): a <see cref="SearchDriver"/> proposes them one
/// generation at a time from the stored results, so the source holds nothing the store does not: a grain that
/// activates again observes every stored result and proposes exactly what it would have proposed without the
/// interruption (docs/search.md, "Determinism and exact resume"). A generation is proposed on a pool thread the
/// first time a lease asks after it became ready; results observed meanwhile wait until the driver is free.
/// </summary>
internal sealed class SearchTrialSource : ITrialSource
{
    private readonly SearchDriver driver;
    private readonly SweepSearch search;
    private readonly SweepObjectives objectives;
    private readonly List<IReadOnlyList<TrialPoint>> generations = [];
    private readonly List<StoppingPlan?> plans = [];
    private readonly List<TrialResult> deferred = [];
    private bool proposing;
    private Task? preparing;

    public SearchTrialSource(SweepSpec spec)
    {
        driver = new SearchDriver(spec);
        search = driver.Search;
        objectives = new SweepObjectives(search);
        ObservedSeries = [.. objectives.Series.Concat(search.EarlyStopping is { } stopping ? [stopping.Metric] : []).Distinct(StringComparer.Ordinal)];
    }

    public long Total => search.Trials;

    public long Available => Math.Min(Total, (long)generations.Count * search.Batch);

    public IReadOnlyCollection<string> ObservedSeries { get; }

    public IReadOnlyList<SweepObjectiveRecord> Objectives => objectives.Records;

    /// <summary>Generations proposed so far.</summary>
    public int Proposed => generations.Count;

    public int GroupOf(long index) => search.GenerationOf(index);

    public TrialPoint GetTrial(long index)
    {
        var generation = GroupOf(index);
        return generations[generation][(int)(index - search.GenerationRange(generation).First)];
    }

    public StoppingPlan? StoppingPlanFor(int group) => plans[group];

    public ValueTask PrepareAsync()
    {
        if (preparing is { IsCompleted: false } running)
        {
            return new ValueTask(running);
        }

        if (proposing || !NextIsReady())
        {
            return ValueTask.CompletedTask;
        }

        preparing = ProposeReadyAsync();
        return new ValueTask(preparing);
    }

    public TrialResult Complete(TrialResult result) => objectives.Complete(result);

    public void Observe(TrialResult result)
    {
        if (proposing)
        {
            deferred.Add(result);
        }
        else
        {
            driver.Observe(result);
        }
    }

    private bool NextIsReady() => generations.Count < driver.Generations && driver.IsReady(generations.Count);

    /// <summary>Proposes every ready generation in order; the driver runs on a pool thread while this grain goes on.</summary>
    private async Task ProposeReadyAsync()
    {
        while (NextIsReady())
        {
            var generation = generations.Count;
            IReadOnlyList<TrialPoint> trials;
            StoppingPlan? plan;
            proposing = true;
            try
            {
                (trials, plan) = await Task.Run(() => (driver.Trials(generation), driver.StoppingPlanFor(generation)));
            }
            finally
            {
                proposing = false;
                foreach (var result in deferred)
                {
                    driver.Observe(result);
                }

                deferred.Clear();
            }

            generations.Add(trials);
            plans.Add(plan);
        }
    }
}
