using GradDescent.Abstractions.Search;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage;
using GradDescent.Sweeps;

namespace GradDescent.Grains.Sweeps;

/// <summary>
/// Where a running sweep's trials come from: the spec's fixed plan (<see cref="PlanTrialSource"/>: grids, random
/// samples, non-adaptive searches) or a search that proposes them from earlier results (<see cref="SearchTrialSource"/>:
/// TPE, NSGA-II, early stopping). <see cref="SweepRun"/> asks it for trials by index and hands out only those below
/// <see cref="Available"/>, one <see cref="GroupOf">group</see> per lease; the sweep grain feeds it the stored results.
/// </summary>
internal interface ITrialSource
{
    long Total { get; }

    /// <summary>Trials with an index below this may be handed out now (the plan: all of them; a search: its proposed generations).</summary>
    long Available { get; }

    /// <summary>The step series <see cref="Observe"/> needs of each stored result (what the grain reads back on activation).</summary>
    IReadOnlyCollection<string> ObservedSeries { get; }

    /// <summary>What the sweep optimises, for the store's <c>sweep_objectives</c>; empty for a sweep without a search section.</summary>
    IReadOnlyList<SweepObjectiveRecord> Objectives { get; }

    /// <summary>Trials of one lease share a group and so a <see cref="StoppingPlanFor">stopping plan</see> (a search's generation; the plan: 0).</summary>
    int GroupOf(long index);

    /// <summary>Trial <paramref name="index"/>, which must be below <see cref="Available"/>.</summary>
    TrialPoint GetTrial(long index);

    /// <summary>The early-stopping plan of a group's leases, or null when trials run to their end.</summary>
    StoppingPlan? StoppingPlanFor(int group);

    /// <summary>Proposes whatever the stored results have made ready (off the grain's thread); returns at once when nothing is.</summary>
    ValueTask PrepareAsync();

    /// <summary>A result about to be stored, with what the sweep derives from it (the values of <c>reach</c> objectives as metrics).</summary>
    TrialResult Complete(TrialResult result);

    /// <summary>A result the store holds (stored now, or read back when the grain activates), in any order, each once or more.</summary>
    void Observe(TrialResult result);
}
