using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps;

/// <summary>
/// Collects the problems found while reading one spec, with their positions. Keeps at most
/// <paramref name="maxErrors"/> of them (the earliest in the document) and counts the rest, so a spec with a
/// million bad values costs a counter, not a million messages.
/// </summary>
internal sealed class SpecDiagnostics(string sourceName, int maxErrors = SweepSpecLimits.DefaultMaxErrors)
{
    private readonly List<(SweepSpecError Error, long Order)> errors = [];
    private long count;

    public string SourceName { get; } = sourceName;

    public bool HasErrors => count > 0;

    public void Add(YamlNode node, string keyPath, string problem) => Add(node.Start, keyPath, problem);

    public void Add(Mark mark, string keyPath, string problem) =>
        Add(new SweepSpecError(keyPath, checked((int)mark.Line), checked((int)mark.Column), problem));

    /// <summary>Longest problem text kept; a longer one (it quotes a huge value) is cut with a note of its length.</summary>
    public const int MaxProblemLength = 400;

    /// <summary>
    /// The error made safe to print: problem and key path cut to a readable length (they may quote huge values), and
    /// control characters in them (a terminal escape in a key, say) shown as <c>\uXXXX</c>.
    /// </summary>
    public static SweepSpecError Clip(SweepSpecError error)
    {
        error = error with { KeyPath = Printable(error.KeyPath), Problem = Printable(error.Problem) };
        if (error.Problem.Length > MaxProblemLength)
        {
            error = error with { Problem = string.Create(CultureInfo.InvariantCulture, $"{error.Problem[..MaxProblemLength]}… ({error.Problem.Length:N0} characters in all)") };
        }

        return error.KeyPath.Length > MaxProblemLength ? error with { KeyPath = $"{error.KeyPath[..MaxProblemLength]}…" } : error;
    }

    private static string Printable(string text)
    {
        StringBuilder? printable = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (SpecText.Problem(text, i) is null)
            {
                printable?.Append(text[i]);
                continue;
            }

            printable ??= new StringBuilder(text, 0, i, text.Length + 16);
            printable.Append(CultureInfo.InvariantCulture, $"\\u{(int)text[i]:X4}");
        }

        return printable?.ToString() ?? text;
    }

    public void Add(SweepSpecError error)
    {
        var entry = (Clip(error), count++);
        if (errors.Count < maxErrors)
        {
            errors.Add(entry);
            return;
        }

        // Full: keep the earliest problems in document order, replacing the latest one kept.
        var latest = 0;
        for (var i = 1; i < errors.Count; i++)
        {
            if (Compare(errors[i], errors[latest]) > 0)
            {
                latest = i;
            }
        }

        if (Compare(entry, errors[latest]) < 0)
        {
            errors[latest] = entry;
        }
    }

    public void ThrowIfAny()
    {
        if (count > 0)
        {
            throw ToException();
        }
    }

    /// <summary>Every problem kept so far, in document order (problems without a position last), then how many more there were.</summary>
    public SweepSpecException ToException()
    {
        var ordered = errors.OrderBy(e => e, Comparer<(SweepSpecError, long)>.Create(Compare)).Select(e => e.Error).ToList();
        if (count > errors.Count)
        {
            var more = count - errors.Count;
            ordered.Add(new SweepSpecError(string.Empty, null, null, string.Create(CultureInfo.InvariantCulture, $"... and {more:N0} more problem{(more == 1 ? string.Empty : "s")} (fix the ones above first)")));
        }

        return new SweepSpecException(SourceName, ordered);
    }

    private static int Compare((SweepSpecError Error, long Order) a, (SweepSpecError Error, long Order) b)
    {
        var byLine = (a.Error.Line ?? int.MaxValue).CompareTo(b.Error.Line ?? int.MaxValue);
        if (byLine != 0)
        {
            return byLine;
        }

        var byColumn = (a.Error.Column ?? int.MaxValue).CompareTo(b.Error.Column ?? int.MaxValue);
        return byColumn != 0 ? byColumn : a.Order.CompareTo(b.Order);
    }
}
