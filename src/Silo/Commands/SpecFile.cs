using System.Security.Cryptography;
using System.Text;
using GradDescent.Abstractions.Storage;
using GradDescent.Sweeps;

namespace GradDescent.Silo.Commands;

/// <summary>A sweep spec read from disk, validated, ready to be stored.</summary>
public sealed record SpecFile(string Path, string Text, string Format, SweepSpec Spec)
{
    /// <summary>
    /// Reads and validates a spec file through <see cref="SweepSpecParser.ParseFile"/>: only a regular file within the
    /// spec size limit is read (a FIFO, a device or a huge file is refused before it can hang or bloat the command), and
    /// with <see cref="SweepSpecLimits.Files"/> set every file parameter is checked against that gate at its line.
    /// </summary>
    /// <exception cref="SweepSpecException">The file is missing, unreadable, not a regular file, too large or invalid (names the key and line).</exception>
    public static SpecFile Load(string path, SweepSpecLimits limits)
    {
        var spec = SweepSpecParser.ParseFile(path, limits);
        var format = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "yaml";
        return new SpecFile(path, spec.Text, format, spec);
    }

    /// <summary>A new pending sweep (<see cref="NewSweep.Record"/>: the id format the dashboard uses too).</summary>
    public SweepRecord NewRecord(DateTimeOffset now) => NewSweep.Record(Spec, now) with { SpecPath = System.IO.Path.GetFullPath(Path) };

    /// <summary>A short digest of the spec text, for logs.</summary>
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)))[..12];
}
