using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps;

/// <summary>Collects the problems found while reading one spec, with their positions.</summary>
internal sealed class SpecDiagnostics(string sourceName)
{
    private readonly List<SweepSpecError> errors = [];

    public string SourceName { get; } = sourceName;

    public bool HasErrors => errors.Count > 0;

    public void Add(YamlNode node, string keyPath, string problem) => Add(node.Start, keyPath, problem);

    public void Add(Mark mark, string keyPath, string problem) =>
        errors.Add(new SweepSpecError(keyPath, checked((int)mark.Line), checked((int)mark.Column), problem));

    public void ThrowIfAny()
    {
        if (errors.Count > 0)
        {
            throw ToException();
        }
    }

    /// <summary>Every problem found so far, in document order (problems without a position last).</summary>
    public SweepSpecException ToException()
    {
        var ordered = errors
            .Select((error, order) => (error, order))
            .OrderBy(e => e.error.Line ?? int.MaxValue)
            .ThenBy(e => e.error.Column ?? int.MaxValue)
            .ThenBy(e => e.order)
            .Select(e => e.error)
            .ToList();
        return new SweepSpecException(SourceName, ordered);
    }
}
