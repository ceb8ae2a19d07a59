using System.Text.RegularExpressions;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Storage;
using GradDescent.Grains.Sweeps;
using GradDescent.Storage;
using GradDescent.Sweeps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Services;

/// <summary>
/// Launch from the browser or the API: the same parser, limits and messages as <c>graddescent validate</c>, with file
/// parameters checked against the dashboard's <see cref="FileGate"/> (its configured roots; in local mode also the
/// working directory: a spec from the browser has no folder of its own). Then the sweep is stored
/// (<see cref="NewSweep.Record"/>, as <c>run</c> and <c>submit</c> do) and its grain started through the grain factory
/// (local silo or cluster alike).
/// </summary>
public sealed partial class SweepLauncher(
    IResultStore store, ControlPlane controlPlane, IOptions<SweepOptions> sweepOptions, FileGate files, TimeProvider time, ILogger<SweepLauncher> logger)
{
    public const string DefaultSourceName = "spec.yaml";

    /// <summary>Validates spec text; stores nothing.</summary>
    public SpecCheck Check(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return new SpecCheck(sourceName, Parse(text, sourceName), []);
        }
        catch (SweepSpecException ex)
        {
            return new SpecCheck(sourceName, null, [.. ex.Errors.Select(e => new SpecProblem(e.Line, e.Column, e.KeyPath, e.Problem, e.Format(sourceName)))]);
        }
    }

    /// <summary>Stores the sweep and starts it.</summary>
    /// <exception cref="SweepSpecException">The spec is invalid; nothing was stored.</exception>
    /// <exception cref="ControlPlaneUnavailableException">The sweep was stored (as failed, saying why) but no control plane started it.</exception>
    public async Task<SweepRecord> LaunchAsync(string text, string sourceName, CancellationToken cancellationToken)
    {
        var record = NewSweep.Record(Parse(text, sourceName), time.GetUtcNow());
        await store.CreateSweepAsync(record, cancellationToken);
        try
        {
            await controlPlane.StartAsync(record.Id, cancellationToken);
        }
        catch (ControlPlaneUnavailableException ex)
        {
            // Not left pending with nobody to run it: say why, so a resume or a new launch is the obvious next step.
            await store.SetSweepStatusAsync(record.Id, SweepStatus.Failed, $"launched from the dashboard, but no control plane started it: {ex.Message}", CancellationToken.None);
            throw;
        }

        LogLaunched(logger, record.Id, record.TotalTrials, record.Experiment);
        return record;
    }

    /// <summary>A file name fit to appear in messages: the uploaded name without folders and odd characters.</summary>
    public static string SourceName(string? fileName)
    {
        var name = Path.GetFileName(fileName ?? string.Empty);
        return string.IsNullOrWhiteSpace(name) || !SafeName().IsMatch(name) ? DefaultSourceName : name;
    }

    private SweepSpec Parse(string text, string sourceName) =>
        SweepSpecParser.Parse(text, sourceName, new SweepSpecLimits { MaxTrials = sweepOptions.Value.MaxTrials, Files = files });

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Sweep {SweepId} launched from the dashboard: {Trials} trials of {Experiment}.")]
    private static partial void LogLaunched(ILogger logger, string sweepId, long trials, string experiment);
}

/// <summary>The outcome of checking a spec: the parsed spec, or its problems in document order.</summary>
public sealed record SpecCheck(string SourceName, SweepSpec? Spec, IReadOnlyList<SpecProblem> Problems)
{
    public bool Valid => Spec is not null;
}

/// <summary>One problem of a spec, at its line and column (1-based), with the message <c>graddescent validate</c> prints.</summary>
public sealed record SpecProblem(int? Line, int? Column, string KeyPath, string Problem, string Message);
