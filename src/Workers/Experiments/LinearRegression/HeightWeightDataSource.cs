using System.Collections.Concurrent;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// Resolves the <c>data</c> parameter: absent means the synthetic sample, otherwise a CSV file reached through the
/// <see cref="FileGate"/> (inside the allowed folders, a regular file, within the size cap), parsed once and cached by
/// resolved path, last-write time and size (many trials share one file; an edited file is parsed again).
/// </summary>
public sealed class HeightWeightDataSource(FileGate files)
{
    /// <summary>Parsed files kept at once; a sweep rarely names more than a few.</summary>
    private const int MaxCachedFiles = 16;

    private static readonly ConcurrentDictionary<string, (string Identity, HeightWeightData Data)> Cache = new(StringComparer.Ordinal);

    /// <exception cref="ParameterException">The file may not be read, is missing or is malformed (names file and line).</exception>
    public HeightWeightData Load(ParameterSet parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Load(parameters.GetTextOrNull(HeightWeightCsv.Parameter), cancellationToken);
    }

    /// <param name="path">A CSV path, or null for the synthetic sample.</param>
    /// <param name="cancellationToken">Stops a read in progress.</param>
    /// <exception cref="ParameterException">The file may not be read, is missing or is malformed (names file and line).</exception>
    public HeightWeightData Load(string? path, CancellationToken cancellationToken = default)
    {
        if (path is null)
        {
            return SyntheticHeightWeight.Data;
        }

        var file = files.ResolveInput(HeightWeightCsv.Parameter, path);
        if (Cache.TryGetValue(file.FullPath, out var cached) && cached.Identity == file.Identity)
        {
            return cached.Data;
        }

        var (heights, weights) = HeightWeightCsv.Parse(files.ReadAllBytes(file, cancellationToken), path);
        HeightWeightData data;
        try
        {
            data = new HeightWeightData(heights, weights, file.FullPath, file.Identity);
        }
        catch (ArgumentException error)
        {
            throw new ParameterException(HeightWeightCsv.Parameter, $"file '{path}': no least-squares line: {error.Message}");
        }

        if (Cache.Count >= MaxCachedFiles)
        {
            // Many distinct files (a grid over data sets): start over rather than hold them all.
            Cache.Clear();
        }

        Cache[file.FullPath] = (file.Identity, data);
        return data;
    }

    /// <summary>The data's identity for fusion keys without reading it: the synthetic tag, or resolved path, last-write time and size.</summary>
    /// <exception cref="ParameterException">The file may not be read or does not exist.</exception>
    public string IdentityOf(string? path) =>
        path is null ? SyntheticHeightWeight.Identity : files.ResolveInput(HeightWeightCsv.Parameter, path).Identity;
}
