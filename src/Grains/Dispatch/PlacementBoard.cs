using System.Globalization;
using GradDescent.Abstractions.Grains;

namespace GradDescent.Grains.Dispatch;

/// <summary>
/// Which workers may lease which running sweeps (docs/sweep-spec.md, Placement), free of Orleans so it can be tested with
/// plain times. A sweep with a placement goes only to workers that match it. A sweep without one goes to workers of its
/// experiment's preferred device; other workers may take it once no preferred worker has taken a lease of it for
/// <paramref name="fallback"/> (counted from when the sweep was added). A worker is live while it asked for work within
/// <paramref name="liveness"/>. Not enforced (<paramref name="enforced"/> false, local mode): every worker takes every sweep.
/// </summary>
internal sealed class PlacementBoard(TimeSpan liveness, TimeSpan fallback, bool enforced = true)
{
    private readonly Dictionary<string, Entry> sweeps = new(StringComparer.Ordinal);

    public void Add(string sweepId, SweepRoute route, DateTimeOffset now)
    {
        if (sweeps.TryGetValue(sweepId, out var entry))
        {
            entry.Route = route;
        }
        else
        {
            sweeps[sweepId] = new Entry(route, now);
        }
    }

    public void Remove(string sweepId) => sweeps.Remove(sweepId);

    /// <summary>Whether <paramref name="worker"/> may lease from the sweep now.</summary>
    public bool Admits(string sweepId, WorkerInfo worker, DateTimeOffset now)
    {
        if (!enforced || !sweeps.TryGetValue(sweepId, out var entry))
        {
            return true;
        }

        if (entry.Route.Placement is { } placement)
        {
            return placement.Admits(worker);
        }

        return Prefers(entry.Route, worker) || now - entry.PreferredAt >= fallback;
    }

    /// <summary>The sweep handed <paramref name="worker"/> a lease: a preferred worker restarts the fallback wait.</summary>
    public void Leased(string sweepId, WorkerInfo worker, DateTimeOffset now)
    {
        if (sweeps.TryGetValue(sweepId, out var entry) && entry.Route.Placement is null && Prefers(entry.Route, worker))
        {
            entry.PreferredAt = now;
        }
    }

    /// <summary>Why no live worker may take the sweep now; null when one may (or nothing is enforced).</summary>
    public PlacementWait? WaitOf(string sweepId, IEnumerable<WorkerSeen> workers, DateTimeOffset now)
    {
        if (!enforced || !sweeps.TryGetValue(sweepId, out var entry))
        {
            return null;
        }

        var live = workers.Where(w => now - w.LastSeen <= liveness).Select(w => w.Worker).ToList();
        var route = entry.Route;
        if (route.Placement is { } placement)
        {
            return live.Any(placement.Admits)
                ? null
                : new PlacementWait(
                    PlacementWaitReason.NoMatchingWorker,
                    $"no live worker matches placement {placement} (none asked for work in the last {Seconds(liveness)})");
        }

        var fallbackAt = entry.PreferredAt + fallback;
        return now >= fallbackAt || live.Any(w => Prefers(route, w))
            ? null
            : new PlacementWait(
                PlacementWaitReason.AwaitingFallback,
                $"no live {route.PreferredDevice} worker (the experiment's preferred device); any worker may take it from {fallbackAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}");
    }

    private static bool Prefers(SweepRoute route, WorkerInfo worker) =>
        string.Equals(DeviceKinds.Of(worker.Device), route.PreferredDevice, StringComparison.Ordinal);

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");

    private sealed class Entry(SweepRoute route, DateTimeOffset added)
    {
        public SweepRoute Route { get; set; } = route;

        /// <summary>When a preferred worker last took a lease of the sweep, or when it was added.</summary>
        public DateTimeOffset PreferredAt { get; set; } = added;
    }
}
