namespace GradDescent.Workers.Tests.Devices;

/// <summary>
/// A background thread that collects and runs finalizers in a tight loop until disposed, so any
/// native object whose managed owner became unreachable is finalized (freed) as soon as possible: if
/// code still uses it, the use-after-free shows as an exception or a wrong number instead of a rare
/// production flake. Mostly gen-0 collections (the short-lived Scalars and tensors at risk are
/// young, and a gen-0 collection is far cheaper, so the race window is hit far more often), with a
/// full collection every 64th round.
/// </summary>
internal sealed class FinalizerPressure : IDisposable
{
    private readonly Thread thread;
    private readonly ManualResetEventSlim firstCollection = new();
    private volatile bool stopping;

    private FinalizerPressure()
    {
        thread = new Thread(Collect) { IsBackground = true, Name = "finalizer-pressure" };
    }

    /// <summary>The number of completed collect-and-finalize rounds.</summary>
    public int Rounds { get; private set; }

    /// <summary>Starts the thread and returns once its first round has completed.</summary>
    public static FinalizerPressure Start()
    {
        var pressure = new FinalizerPressure();
        pressure.thread.Start();
        if (!pressure.firstCollection.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("the finalizer-pressure thread did not complete its first GC round within 30 s");
        }

        return pressure;
    }

    public void Dispose()
    {
        stopping = true;
        thread.Join();
        firstCollection.Dispose();
    }

    private void Collect()
    {
        while (!stopping)
        {
            GC.Collect(Rounds % 64 == 0 ? GC.MaxGeneration : 0, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            Rounds++;
            firstCollection.Set();
        }
    }
}
