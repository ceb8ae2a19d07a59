namespace GradDescent.Dashboard.Services;

/// <summary>A worker as the dispatcher last saw it (workers page and <c>GET /api/workers</c>).</summary>
public sealed record WorkerView(
    string WorkerId, string Host, string Device, int Slots, int BusySlots, long BatchesDone, long TrialsLeased, DateTimeOffset LastSeen, double LastSeenSeconds);
