using System.Runtime.CompilerServices;

namespace GradDescent.Grains;

/// <summary>
/// Works around a lock-order deadlock of Orleans 10.4 between two grains that activate at the same moment and call each
/// other. <c>ActivationData.Start</c> holds the new activation's lock while it runs the message loop synchronously: the
/// activation (<c>OnActivateAsync</c>) and then the first request run on that thread, under that lock, for as long as
/// they complete synchronously, and a call to another local grain takes the other activation's lock to enqueue the
/// message. With SQLite every store call completes synchronously, so on a resume the dispatcher (activated by a worker's
/// lease: dispatcher lock held, calling the sweep) and the sweep grain (activated by <c>StartAsync</c>: sweep lock held,
/// calling the dispatcher) could each wait for the other's lock forever, and <c>graddescent resume</c> never ended.
/// Yielding once at activation releases the lock before any request runs.
/// </summary>
internal static class ActivationTurn
{
    /// <summary>Continues the activation in a later turn on the grain's scheduler, outside <c>ActivationData.Start</c>.</summary>
    public static YieldAwaitable LeaveActivationLockAsync() => Task.Yield();
}
