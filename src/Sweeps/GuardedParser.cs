using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GradDescent.Sweeps;

/// <summary>
/// Sits between YamlDotNet's event parser (iterative) and its representation model (recursive) and stops what would
/// hurt the loader: nesting deeper than the limit (a stack overflow otherwise) and keys that are lists, mappings or
/// aliases (the loader hashes keys structurally, so an alias bomb as a key costs exponential time). Scalars holding
/// control characters (from escapes such as <c>"\0"</c>) are reported with their key path.
/// </summary>
internal sealed class GuardedParser(IParser inner, SpecDiagnostics diagnostics, int maxDepth) : IParser
{
    private readonly List<Frame> frames = [];

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case SequenceEnd or MappingEnd:
                frames.RemoveAt(frames.Count - 1);
                break;
            case NodeEvent or AnchorAlias:
                Visit(inner.Current);
                break;
        }

        return true;
    }

    private void Visit(ParsingEvent node)
    {
        var isKey = false;
        if (frames.Count > 0 && frames[^1].IsMapping)
        {
            var frame = frames[^1];
            isKey = frame.ExpectKey;
            frame.ExpectKey = !isKey;
            if (isKey)
            {
                frame.Key = node is Scalar key
                    ? key.Value
                    : throw Fail(node, Path(currentIsKey: true), $"a key must be plain text, not {(node is AnchorAlias ? "an alias" : node is SequenceStart ? "a list" : "a mapping")}");
            }
        }

        switch (node)
        {
            case Scalar scalar when SpecText.ValueProblem(scalar.Value) is { } problem:
                diagnostics.Add(scalar.Start, isKey ? SpecReader.Join(Path(isKey), scalar.Value) : Path(isKey), problem);
                break;
            case SequenceStart or MappingStart:
                if (frames.Count >= maxDepth)
                {
                    throw Fail(node, Path(isKey), $"nested more than {maxDepth} levels deep (a spec needs a handful)");
                }

                frames.Add(new Frame(node is MappingStart));
                break;
        }
    }

    /// <summary>The key path of the node being read: the keys of the enclosing mappings (errors only: it allocates).</summary>
    private string Path(bool currentIsKey)
    {
        var path = string.Empty;
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            if (frame.IsMapping && frame.Key is { } key && (i < frames.Count - 1 || !currentIsKey))
            {
                path = SpecReader.Join(path, key);
            }
        }

        return path;
    }

    /// <summary>Stops reading: what was found so far plus this problem.</summary>
    private SweepSpecException Fail(ParsingEvent node, string path, string problem)
    {
        diagnostics.Add(node.Start, path, problem);
        return diagnostics.ToException();
    }

    private sealed class Frame(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public bool ExpectKey { get; set; } = true;

        public string? Key { get; set; }
    }
}
