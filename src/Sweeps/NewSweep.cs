using System.Security.Cryptography;
using System.Text.Json;
using GradDescent.Abstractions.Storage;

namespace GradDescent.Sweeps;

/// <summary>
/// How a validated spec becomes a stored sweep: one id format and one record, whether the spec came from a file
/// (<c>graddescent run</c>, <c>submit</c>) or from the dashboard (a form, an upload or the API).
/// </summary>
public static class NewSweep
{
    /// <summary>A new pending sweep of <paramref name="spec"/>, its text stored exactly as submitted.</summary>
    public static SweepRecord Record(SweepSpec spec, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new SweepRecord
        {
            Id = Id(spec.Name, now),
            Name = spec.Name,
            Experiment = spec.Experiment,
            Spec = spec.Text,
            SpecFormat = Format(spec.Text),
            Status = SweepStatus.Pending,
            TotalTrials = spec.TotalTrials,
            CreatedAt = now,
        };
    }

    /// <summary>A readable, unique sweep id: <c>name-yyyyMMdd-HHmmss-xxxx</c> (UTC, four random hex digits).</summary>
    public static string Id(string name, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"{name}-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
    }

    /// <summary><c>json</c> when the text is a JSON document (YAML's parser reads JSON too), else <c>yaml</c>.</summary>
    public static string Format(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.TrimStart().StartsWith('{'))
        {
            return "yaml";
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return "json";
        }
        catch (JsonException)
        {
            // A YAML flow mapping ({name: x, ...}) is not JSON.
            return "yaml";
        }
    }
}
