namespace GradDescent.Storage.Providers;

/// <summary>How many trials one batch write newly stored, per experiment and status (stored text).</summary>
internal sealed class StoredTrialCounts
{
    private readonly Dictionary<(string Experiment, string Status), int> counts = [];

    public int Total { get; private set; }

    public IEnumerable<(string Experiment, string Status, int Count)> Groups =>
        counts.Select(c => (c.Key.Experiment, c.Key.Status, c.Value));

    public void Add(string experiment, string status, int count)
    {
        counts[(experiment, status)] = counts.GetValueOrDefault((experiment, status)) + count;
        Total += count;
    }

    /// <summary>Adds another write's counts (a refused batch is stored in parts).</summary>
    public void Add(StoredTrialCounts other)
    {
        foreach (var (experiment, status, count) in other.Groups)
        {
            Add(experiment, status, count);
        }
    }
}
