namespace GradDescent.Abstractions.Storage;

/// <summary>Lifecycle of a sweep. Stored as lower-case text (<c>pending</c>, <c>running</c>, <c>paused</c>...).</summary>
public enum SweepStatus
{
    /// <summary>Created, no trial dispatched yet.</summary>
    Pending,

    /// <summary>Trials are being dispatched or run.</summary>
    Running,

    /// <summary>No new trials are handed out; leases already out finish and are stored. Resuming continues.</summary>
    Paused,

    /// <summary>Every trial has a stored result.</summary>
    Completed,

    /// <summary>Stopped on request; stored results stay.</summary>
    Cancelled,

    /// <summary>Stopped by an error; <see cref="SweepRecord.Error"/> says which.</summary>
    Failed,
}
