using System.Text.RegularExpressions;
using GradDescent.Abstractions.Grains;
using YamlDotNet.RepresentationModel;

namespace GradDescent.Sweeps;

/// <summary>
/// Reads the <c>placement</c> section: <c>pool</c> (a worker pool name) and/or <c>device</c> (<c>cpu</c> or <c>cuda</c>).
/// Only workers that match every key given lease the sweep's trials (docs/sweep-spec.md, Placement).
/// </summary>
internal static partial class PlacementReader
{
    public const string Section = "placement";

    private static readonly string[] SectionKeys = ["pool", "device"];

    public static SweepPlacement? Read(SpecReader reader, YamlNode node)
    {
        var entries = reader.Entries(node, Section, SectionKeys);
        if (entries is null)
        {
            return null;
        }

        if (entries.Count == 0)
        {
            reader.Diagnostics.Add(node, Section, "empty placement: name a pool, a device or both (or leave placement out to run anywhere)");
            return null;
        }

        string? pool = null;
        string? device = null;
        var valid = true;
        foreach (var (key, _, value) in entries)
        {
            var path = SpecReader.Join(Section, key);
            var text = reader.Text(value, path);
            if (text is null)
            {
                valid = false;
            }
            else if (key == "pool")
            {
                pool = text;
                if (!PoolPattern().IsMatch(text))
                {
                    reader.Diagnostics.Add(value, path, $"'{text}' is not a pool name: use 1-63 lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit (as graddescent worker --pool)");
                    valid = false;
                }
            }
            else
            {
                device = text;
                if (!DeviceKinds.All.Contains(text, StringComparer.Ordinal))
                {
                    reader.Diagnostics.Add(value, path, $"unknown device '{text}' (expected one of {string.Join(", ", DeviceKinds.All)})");
                    valid = false;
                }
            }
        }

        return valid ? new SweepPlacement(pool, device) : null;
    }

    [GeneratedRegex(WorkerInfo.PoolPattern, RegexOptions.CultureInvariant)]
    private static partial Regex PoolPattern();
}
