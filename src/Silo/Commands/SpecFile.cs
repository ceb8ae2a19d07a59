using System.Security.Cryptography;
using System.Text;
using GradDescent.Abstractions.Storage;
using GradDescent.Silo.Cli;
using GradDescent.Sweeps;

namespace GradDescent.Silo.Commands;

/// <summary>A sweep spec read from disk, validated, ready to be stored.</summary>
public sealed record SpecFile(string Path, string Text, string Format, SweepSpec Spec)
{
    /// <exception cref="UsageException">The file is missing or unreadable.</exception>
    /// <exception cref="SweepSpecException">The spec is invalid (names the key and line).</exception>
    public static SpecFile Load(string path, long maxTrials)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such sweep spec file");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: cannot read the sweep spec: {ex.Message}");
        }

        var spec = SweepSpecParser.Parse(text, path, new SweepSpecLimits { MaxTrials = maxTrials });
        return new SpecFile(path, text, NewSweep.Format(text), spec);
    }

    /// <summary>A new pending sweep (<see cref="NewSweep.Record"/>: the id format the dashboard uses too).</summary>
    public SweepRecord NewRecord(DateTimeOffset now) => NewSweep.Record(Spec, now);

    /// <summary>A short digest of the spec text, for logs.</summary>
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)))[..12];
}
