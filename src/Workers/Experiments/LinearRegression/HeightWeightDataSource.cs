using System.Collections.Concurrent;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>
/// Resolves the <c>data</c> parameter: absent means the synthetic sample, otherwise a CSV file parsed
/// once and cached by full path and last-write time (many trials share one file; an edited file is
/// parsed again).
/// </summary>
public static class HeightWeightDataSource
{
    private static readonly ConcurrentDictionary<string, (DateTime LastWrite, HeightWeightData Data)> Cache = new(StringComparer.Ordinal);

    /// <exception cref="ParameterException">The file is missing or malformed (names file and line).</exception>
    public static HeightWeightData Load(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Load(parameters.GetTextOrNull(HeightWeightCsv.Parameter));
    }

    /// <param name="path">A CSV path, or null for the synthetic sample.</param>
    /// <exception cref="ParameterException">The file is missing or malformed (names file and line).</exception>
    public static HeightWeightData Load(string? path)
    {
        if (path is null)
        {
            return SyntheticHeightWeight.Data;
        }

        var (fullPath, lastWrite) = Stat(path);
        if (Cache.TryGetValue(fullPath, out var cached) && cached.LastWrite == lastWrite)
        {
            return cached.Data;
        }

        var (heights, weights) = HeightWeightCsv.Read(fullPath);
        HeightWeightData data;
        try
        {
            data = new HeightWeightData(heights, weights, fullPath, Identity(fullPath, lastWrite));
        }
        catch (ArgumentException error)
        {
            throw new ParameterException(HeightWeightCsv.Parameter, $"file '{fullPath}': no least-squares line: {error.Message}");
        }

        Cache[fullPath] = (lastWrite, data);
        return data;
    }

    /// <summary>The data's identity for fusion keys without parsing: synthetic tag or path@last-write.</summary>
    /// <exception cref="ParameterException">The file does not exist.</exception>
    public static string IdentityOf(string? path)
    {
        if (path is null)
        {
            return SyntheticHeightWeight.Identity;
        }

        var (fullPath, lastWrite) = Stat(path);
        return Identity(fullPath, lastWrite);
    }

    private static (string FullPath, DateTime LastWrite) Stat(string path)
    {
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (ArgumentException error)
        {
            throw new ParameterException(HeightWeightCsv.Parameter, $"file '{path}': invalid path: {error.Message}");
        }

        var info = new FileInfo(fullPath);
        if (!info.Exists)
        {
            throw new ParameterException(HeightWeightCsv.Parameter, $"file '{fullPath}': file not found");
        }

        return (fullPath, info.LastWriteTimeUtc);
    }

    private static string Identity(string fullPath, DateTime lastWrite) => $"{fullPath}@{lastWrite.Ticks}";
}
