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
        var format = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "yaml";
        return new SpecFile(path, text, format, spec);
    }

    /// <summary>A new pending sweep with a readable, unique id: <c>name-yyyyMMdd-HHmmss-xxxx</c>.</summary>
    public SweepRecord NewRecord(DateTimeOffset now) => new()
    {
        Id = $"{Spec.Name}-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}",
        Name = Spec.Name,
        Experiment = Spec.Experiment,
        Spec = Text,
        SpecFormat = Format,
        Status = SweepStatus.Pending,
        TotalTrials = Spec.TotalTrials,
        CreatedAt = now,
    };

    /// <summary>A short digest of the spec text, for logs.</summary>
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)))[..12];
}
