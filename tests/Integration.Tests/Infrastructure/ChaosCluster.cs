namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>
/// The processes of the chaos suite's cluster: one control silo and two worker slots, each killed and replaced as the
/// suite goes (a replaced worker gets a new id), with the logs of every process that ever ran kept for assertions.
/// </summary>
public sealed class ChaosCluster(IReadOnlyDictionary<string, string> siloEnvironment, IReadOnlyDictionary<string, string> workerEnvironment)
    : IAsyncDisposable
{
    private readonly List<CliProcess> silos = [];
    private readonly List<CliProcess> exited = [];
    private readonly CliProcess?[] workers = new CliProcess?[2];
    private readonly string[] workerIds = new string[2];
    private readonly int[] generations = new int[2];

    /// <summary>The stderr of every silo so far, in order.</summary>
    public string SiloLog => string.Concat(silos.Select(s => s.Stderr));

    /// <summary>The stderr of every process so far.</summary>
    public IEnumerable<string> Logs => silos.Concat(exited).Concat(workers.OfType<CliProcess>()).Select(p => p.Stderr);

    public CliProcess Worker(int slot) => workers[slot] ?? throw new InvalidOperationException($"worker slot {slot} runs nothing");

    public string WorkerId(int slot) => workerIds[slot];

    public void StartSilo() => silos.Add(CliProcess.Start(["silo"], siloEnvironment));

    /// <summary>SIGKILL of the running silo.</summary>
    public void KillSilo() => silos[^1].KillHard();

    public void StartWorker(int slot)
    {
        workerIds[slot] = $"chaos-{slot}-{++generations[slot]}";
        workers[slot] = CliProcess.Start(["worker", "--worker-id", workerIds[slot], "--slots", "2"], workerEnvironment);
    }

    /// <summary>SIGKILL of a worker; its process is kept for its log.</summary>
    public void KillWorker(int slot)
    {
        var worker = Worker(slot);
        worker.KillHard();
        exited.Add(worker);
        workers[slot] = null;
    }

    public int SiloLogCount(string text) => Occurrences(SiloLog, text);

    public int WorkerLogCount(int slot, string text) => Occurrences(Worker(slot).Stderr, text);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in silos.Concat(exited).Concat(workers.OfType<CliProcess>()))
        {
            await process.DisposeAsync();
        }
    }

    private static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
