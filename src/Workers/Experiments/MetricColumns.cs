namespace GradDescent.Workers.Experiments;

/// <summary>
/// The final metrics of a fused batch, stored by column: one array per metric with one value per trial (row).
/// <see cref="Row"/> gives trial b's metrics as a read-only dictionary view over the columns, so a batch of
/// thousands of trials costs one array per metric instead of one dictionary per trial.
/// </summary>
public sealed class MetricColumns
{
    private readonly string[] names;
    private readonly double[][] columns;

    /// <param name="names">Metric names in the order a row lists them; distinct.</param>
    /// <param name="rows">Trials in the batch.</param>
    /// <exception cref="ArgumentException">A name is repeated or empty.</exception>
    public MetricColumns(IReadOnlyList<string> names, int rows)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (names.Any(string.IsNullOrEmpty) || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException("metric names must be distinct and non-empty", nameof(names));
        }

        this.names = [.. names];
        columns = new double[this.names.Length][];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new double[rows];
        }

        Rows = rows;
    }

    public int Rows { get; }

    public IReadOnlyList<string> Names => names;

    /// <summary>The values of one metric, one per row, to fill.</summary>
    /// <exception cref="KeyNotFoundException">No such metric.</exception>
    public double[] Column(string name)
    {
        var index = IndexOf(name);
        return index >= 0 ? columns[index] : throw new KeyNotFoundException($"no metric '{name}' (metrics: {string.Join(", ", names)})");
    }

    /// <summary>Row <paramref name="row"/>'s metrics, a view that reads the columns (later writes to them show through).</summary>
    public IReadOnlyDictionary<string, double> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        return new MetricRow(this, row);
    }

    internal int IndexOf(string name)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    internal string NameAt(int index) => names[index];

    internal double ValueAt(int index, int row) => columns[index][row];
}
