using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace GradDescent.Workers.Experiments;

/// <summary>One trial's metrics read from a <see cref="MetricColumns"/>, in the columns' order.</summary>
internal sealed class MetricRow(MetricColumns columns, int row) : IReadOnlyDictionary<string, double>
{
    public int Count => columns.Names.Count;

    public IEnumerable<string> Keys => columns.Names;

    public IEnumerable<double> Values
    {
        get
        {
            for (var i = 0; i < Count; i++)
            {
                yield return columns.ValueAt(i, row);
            }
        }
    }

    public double this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no metric '{key}'");

    public bool ContainsKey(string key) => columns.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
    {
        var index = columns.IndexOf(key);
        value = index >= 0 ? columns.ValueAt(index, row) : 0;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new KeyValuePair<string, double>(columns.NameAt(i), columns.ValueAt(i, row));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
