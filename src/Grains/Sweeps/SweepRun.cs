using System.Collections.Immutable;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Grains.Sweeps;

/// <summary>
/// The dispatch state of one running sweep, free of Orleans and I/O so it can be reasoned about and
/// tested alone: which trials are stored, which are out on leases, which wait for a retry, and the
/// cursor over the trial source (the lazily expanded plan, or a search's proposals as they become
/// available). Trials are never materialised beyond the ones in flight.
/// </summary>
internal sealed class SweepRun(
    string sweepId, ExperimentDefinition experiment, ITrialSource source, int maxAttempts, TrialBitSet stored, SweepProgress storedBefore)
{
    private readonly Queue<TrialSpec> retries = new();
    private readonly Dictionary<Guid, Lease> leases = [];
    private readonly Dictionary<string, DateTimeOffset> workersSeen = new(StringComparer.Ordinal);
    private long cursor;

    public long Total => source.Total;

    /// <summary>Where the trials come from; fed the stored results (<see cref="MarkStored"/>).</summary>
    public ITrialSource Source => source;

    public long Completed { get; private set; } = storedBefore.Completed;

    public long Diverged { get; private set; } = storedBefore.Diverged;

    public long Failed { get; private set; } = storedBefore.Failed;

    public long Pruned { get; private set; } = storedBefore.Pruned;

    public long StoredThisRun { get; private set; }

    public long InFlight => leases.Values.Sum(l => (long)l.Trials.Length);

    public double? Best { get; private set; } = storedBefore.BestPrimaryMetric;

    public string? BestParameters { get; private set; } = storedBefore.BestTrialIndex is { } index ? $"trial {index}" : null;

    public bool IsDone => stored.Count >= Total;

    /// <summary>Trials with a stored result, whenever they were stored.</summary>
    public long Stored => stored.Count;

    /// <summary>Trials not stored and not out on a lease.</summary>
    public long Unleased => Total - stored.Count - InFlight;

    /// <summary>
    /// How many trials one lease may take so that every worker seen since <paramref name="activeSince"/>
    /// gets a share: half the fair share of what is left, between <paramref name="minimum"/> and <paramref name="maximum"/>.
    /// </summary>
    public int FairBatch(string workerId, DateTimeOffset now, DateTimeOffset activeSince, int minimum, int maximum)
    {
        workersSeen[workerId] = now;
        var active = workersSeen.Values.Count(seen => seen >= activeSince);
        var share = (Unleased + (2L * active) - 1) / (2L * active);
        return (int)Math.Clamp(share, Math.Min(minimum, maximum), maximum);
    }

    /// <summary>
    /// Hands out up to <paramref name="maxTrials"/> trials of one group (a search generation): retries first, then
    /// the next unexpanded ones the source has available, while <paramref name="fits"/> (a <see cref="LeaseSizer"/>
    /// budget; null: any) accepts them.
    /// </summary>
    public Lease? Open(WorkerInfo worker, int maxTrials, DateTimeOffset deadline, Func<TrialSpec, bool>? fits = null)
    {
        fits ??= static _ => true;
        var trials = ImmutableArray.CreateBuilder<TrialSpec>(Math.Min(maxTrials, 1024));
        int? group = null;
        var full = false;
        var otherGroups = new List<TrialSpec>();
        while (!full && trials.Count < maxTrials && retries.TryDequeue(out var retry))
        {
            if (stored.Contains(retry.Index))
            {
                continue;
            }

            if ((group ??= source.GroupOf(retry.Index)) != source.GroupOf(retry.Index))
            {
                otherGroups.Add(retry);
            }
            else if (fits(retry))
            {
                trials.Add(retry);
            }
            else
            {
                // Back to the front of the queue, for the next lease.
                otherGroups.Add(retry);
                full = true;
            }
        }

        if (otherGroups.Count > 0)
        {
            var rest = retries.ToList();
            retries.Clear();
            foreach (var retry in otherGroups.Concat(rest))
            {
                retries.Enqueue(retry);
            }
        }

        var available = source.Available;
        while (!full && trials.Count < maxTrials && cursor < available)
        {
            var index = cursor;
            if (stored.Contains(index))
            {
                cursor++;
                continue;
            }

            if ((group ??= source.GroupOf(index)) != source.GroupOf(index))
            {
                break;
            }

            var point = source.GetTrial(index);
            var trial = new TrialSpec(sweepId, index, experiment.Name, point.Parameters, point.Seed, Attempt: 1);
            if (!fits(trial))
            {
                break;
            }

            cursor++;
            trials.Add(trial);
        }

        if (trials.Count == 0)
        {
            return null;
        }

        var lease = new Lease(Guid.NewGuid(), worker, trials.ToImmutable(), deadline, group ?? 0, Lease.NewToken());
        leases.Add(lease.Id, lease);
        return lease;
    }

    /// <summary>Puts the trials of every lease past its deadline back in the queue (their next start counts); returns those leases.</summary>
    public IReadOnlyList<Lease> ReclaimExpired(DateTimeOffset now)
    {
        var expired = leases.Values.Where(l => l.Deadline < now).ToList();
        foreach (var lease in expired)
        {
            leases.Remove(lease.Id);
            RequeueStarted(lease.Trials);
        }

        return expired;
    }

    /// <summary>The live lease <paramref name="leaseId"/>, whoever holds it; null when unknown or reclaimed.</summary>
    public Lease? Find(Guid leaseId) => leases.GetValueOrDefault(leaseId);

    public bool Extend(Guid leaseId, Guid token, DateTimeOffset now, DateTimeOffset deadline)
    {
        if (!leases.TryGetValue(leaseId, out var lease) || lease.Deadline < now || !lease.Holds(token))
        {
            return false;
        }

        lease.Deadline = deadline;
        return true;
    }

    /// <summary>Gives back a lease that is held (a completion the store could not take), with a new deadline.</summary>
    public void Restore(Lease lease, DateTimeOffset deadline)
    {
        lease.Deadline = deadline;
        leases[lease.Id] = lease;
    }

    /// <summary>Removes a live lease whose holder gives it back unfinished; its trials are handed out again first.</summary>
    public Lease? Release(Guid leaseId, Guid token)
    {
        if (!leases.TryGetValue(leaseId, out var lease) || !lease.Holds(token))
        {
            return null;
        }

        leases.Remove(leaseId);
        RequeueStarted(lease.Trials);
        return lease;
    }

    /// <summary>
    /// Removes a live lease so its results can be stored; null when it is unknown or expired
    /// (<paramref name="expired"/>: it was still held but past its deadline, and its trials are requeued).
    /// </summary>
    public Lease? Close(Guid leaseId, DateTimeOffset now, out bool expired)
    {
        expired = false;
        if (!leases.TryGetValue(leaseId, out var lease))
        {
            return null;
        }

        leases.Remove(leaseId);
        if (lease.Deadline < now)
        {
            expired = true;
            RequeueStarted(lease.Trials);
            return null;
        }

        return lease;
    }

    /// <summary>
    /// Splits a completion into what to store now (results, and failures out of attempts) and trials
    /// to retry. Results for trials not in the lease, or already stored, are ignored; lease trials the
    /// worker did not mention are retried.
    /// </summary>
    public (List<TrialResult> ToStore, List<TrialSpec> ToRetry) Resolve(Lease lease, LeaseCompletion completion, DateTimeOffset now)
    {
        var byIndex = lease.Trials.ToDictionary(t => t.Index);
        var toStore = new List<TrialResult>(completion.Results.Length + completion.Failures.Length);
        var toRetry = new List<TrialSpec>();
        foreach (var result in completion.Results)
        {
            if (byIndex.Remove(result.Index) && !stored.Contains(result.Index))
            {
                toStore.Add(result);
            }
        }

        foreach (var failure in completion.Failures)
        {
            if (!byIndex.Remove(failure.Index, out var trial) || stored.Contains(failure.Index))
            {
                continue;
            }

            if (trial.Attempt < maxAttempts)
            {
                toRetry.Add(trial with { Attempt = trial.Attempt + 1 });
            }
            else
            {
                toStore.Add(FailedResult(trial, lease.Worker, failure.Error, now));
            }
        }

        // Trials the worker did not report were started too: their next start is another attempt.
        toRetry.AddRange(byIndex.Values.Select(t => t with { Attempt = t.Attempt + 1 }));
        return (toStore, toRetry);
    }

    /// <summary>Records results the store accepted, and shows them to the trial source.</summary>
    public void MarkStored(IReadOnlyList<TrialResult> results)
    {
        foreach (var result in results)
        {
            if (stored.Add(result.Index))
            {
                source.Observe(result);
                StoredThisRun++;
                Count(result.Status, result.Metrics.TryGetValue(experiment.PrimaryMetric, out var metric) ? metric : null, result.Parameters.ToString());
            }
        }
    }

    public void Requeue(IEnumerable<TrialSpec> trials)
    {
        foreach (var trial in trials)
        {
            retries.Enqueue(trial);
        }
    }

    /// <summary>Queues trials of a lease that ended without their results (expired, released, not stored): each start counts as an attempt.</summary>
    public void RequeueStarted(IEnumerable<TrialSpec> trials) => Requeue(trials.Select(t => t with { Attempt = t.Attempt + 1 }));

    private void Count(TrialStatus status, double? primaryMetric, string parameters)
    {
        switch (status)
        {
            case TrialStatus.Completed: Completed++; break;
            case TrialStatus.Diverged: Diverged++; break;
            case TrialStatus.Pruned: Pruned++; break;
            default: Failed++; break;
        }

        if (status != TrialStatus.Completed || primaryMetric is not { } value || !double.IsFinite(value))
        {
            return;
        }

        var better = Best is not { } best || (experiment.Goal == MetricGoal.Minimize ? value < best : value > best);
        if (better)
        {
            Best = value;
            BestParameters = parameters;
        }
    }

    private static TrialResult FailedResult(TrialSpec trial, WorkerInfo worker, string error, DateTimeOffset now) => new()
    {
        SweepId = trial.SweepId,
        Index = trial.Index,
        Experiment = trial.Experiment,
        Parameters = trial.Parameters,
        Seed = trial.Seed,
        Status = TrialStatus.Failed,
        Attempts = trial.Attempt,
        WorkerId = worker.WorkerId,
        Device = worker.Device,
        StartedAt = now,
        FinishedAt = now,
        DurationMs = 0,
        Metrics = ImmutableSortedDictionary<string, double>.Empty,
        Steps = [],
        Error = error,
    };
}
