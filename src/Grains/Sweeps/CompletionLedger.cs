namespace GradDescent.Grains.Sweeps;

/// <summary>
/// The completions of one sweep grain that are being stored, and the leases whose results were stored lately. A
/// worker whose completion call timed out (a silo busy waiting for the database, a lost answer) sends it again; the
/// ledger lets that retry wait for the first write, or answer as the first did, instead of finding the lease gone
/// and discarding results that were in fact stored. Grain-scheduler state: no locking.
/// </summary>
internal sealed class CompletionLedger(int remember = 4096)
{
    private readonly Dictionary<Guid, Pending> storing = [];
    private readonly Dictionary<Guid, Guid> stored = [];
    private readonly Queue<Guid> storedOrder = new();

    /// <summary>A write of a lease's results that has not finished, and since when it runs.</summary>
    public sealed record Pending(Lease Lease, Task<bool> Write, DateTimeOffset Started);

    public bool TryGetPending(Guid leaseId, out Pending pending) => storing.TryGetValue(leaseId, out pending!);

    public void Begin(Lease lease, Task<bool> write, DateTimeOffset started) => storing[lease.Id] = new Pending(lease, write, started);

    public void End(Guid leaseId) => storing.Remove(leaseId);

    /// <summary>The results of <paramref name="leaseId"/> are stored; a repeat carrying <paramref name="token"/> is answered true.</summary>
    public void Stored(Guid leaseId, Guid token)
    {
        if (!stored.TryAdd(leaseId, token))
        {
            return;
        }

        storedOrder.Enqueue(leaseId);
        while (storedOrder.Count > remember)
        {
            stored.Remove(storedOrder.Dequeue());
        }
    }

    /// <summary>The token of a lease whose results were stored lately; false when none is remembered.</summary>
    public bool WasStored(Guid leaseId, out Guid token) => stored.TryGetValue(leaseId, out token);

    /// <summary>Whether a write has been waiting on the store longer than <paramref name="stall"/>: the store is struggling.</summary>
    public bool Stalled(DateTimeOffset now, TimeSpan stall) => storing.Values.Any(p => now - p.Started > stall);

    /// <summary>Whether the lease's results are being stored now.</summary>
    public bool IsStoring(Guid leaseId) => storing.ContainsKey(leaseId);
}
