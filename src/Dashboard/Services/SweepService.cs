using System.Collections.Concurrent;
using System.Text.Json;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Storage;
using GradDescent.Grains.Sweeps;
using GradDescent.Storage;
using GradDescent.Storage.Reports;
using GradDescent.Sweeps;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Services;

/// <summary>Sweeps for pages and the API: stored records and progress (SQL), live rate and in-flight trials (the sweep grain).</summary>
public sealed class SweepService(IResultStore store, ControlPlane controlPlane, IOptions<SweepOptions> sweepOptions, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SpecInfo> specs = new(StringComparer.Ordinal);

    /// <summary>Every stored sweep matching the filter, newest first.</summary>
    public async Task<IReadOnlyList<SweepView>> ListAsync(SweepListFilter filter, CancellationToken cancellationToken)
    {
        var records = (await store.ListSweepsAsync(cancellationToken)).Where(filter.Matches).ToList();
        var views = new List<SweepView>(records.Count);
        foreach (var record in records)
        {
            views.Add(await ViewAsync(record, cancellationToken));
        }

        return views;
    }

    /// <summary>A sweep by id, or the newest sweep with that name.</summary>
    public async Task<SweepRecord?> FindAsync(string idOrName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idOrName))
        {
            return null;
        }

        return await store.GetSweepAsync(idOrName, cancellationToken)
            ?? (await store.ListSweepsAsync(cancellationToken)).FirstOrDefault(s => s.Name == idOrName);
    }

    public async Task<SweepView> ViewAsync(SweepRecord record, CancellationToken cancellationToken)
    {
        var definition = ExperimentCatalog.Find(record.Experiment);
        var progress = definition is null ? null : await store.GetProgressAsync(record.Id, cancellationToken);
        var info = Spec(record);
        IReadOnlyDictionary<string, string>? bestParameters = null;
        if (progress?.BestTrialIndex is { } bestIndex && await ReportViews.GetTrialAsync(store, record.Id, bestIndex, cancellationToken) is { } best)
        {
            var all = JsonSerializer.Deserialize<SortedDictionary<string, string>>(best.ParametersJson) ?? [];
            bestParameters = info.Swept.Count == 0
                ? all
                : info.Swept.Where(p => all.ContainsKey(p.Name)).ToDictionary(p => p.Name, p => all[p.Name]);
        }

        double? rate = null;
        double? eta = null;
        long? inFlight = null;
        if (record.Status is SweepStatus.Running or SweepStatus.Paused
            && await controlPlane.TrySnapshotAsync(record.Id, cancellationToken) is { Name.Length: > 0 } snapshot)
        {
            inFlight = snapshot.InFlight;
            var elapsed = (time.GetUtcNow() - snapshot.RunStartedAt).TotalSeconds;
            rate = elapsed > 0 ? snapshot.StoredThisRun / elapsed : 0;
            var remaining = record.TotalTrials - (progress?.Stored ?? 0);
            eta = record.Status == SweepStatus.Running && rate > 0 ? remaining / rate : null;
        }

        return Header(record) with
        {
            Completed = progress?.Completed ?? 0,
            Diverged = progress?.Diverged ?? 0,
            Failed = progress?.Failed ?? 0,
            InFlight = inFlight,
            TrialsPerSecond = rate,
            EtaSeconds = eta,
            Best = progress?.BestPrimaryMetric,
            BestTrial = progress?.BestTrialIndex,
            BestParameters = bestParameters,
        };
    }

    /// <summary>The sweep without progress or live figures (no query): what the trials and trial pages need.</summary>
    public SweepView Header(SweepRecord record)
    {
        var definition = ExperimentCatalog.Find(record.Experiment);
        var info = Spec(record);
        return new SweepView
        {
            Id = record.Id,
            Name = record.Name,
            Experiment = record.Experiment,
            Status = StatusName(record.Status),
            Trials = record.TotalTrials,
            Completed = 0,
            Diverged = 0,
            Failed = 0,
            PrimaryMetric = definition?.PrimaryMetric ?? string.Empty,
            Goal = definition?.Goal == MetricGoal.Maximize ? "maximize" : "minimize",
            CreatedAt = record.CreatedAt,
            StartedAt = record.StartedAt,
            FinishedAt = record.FinishedAt,
            Error = record.Error,
            Description = info.Description,
            SweptParameters = [.. info.Swept.Select(s => s.Name)],
        };
    }

    /// <summary>The stored spec's description and swept parameters (parsed once per sweep; the text never changes).</summary>
    public SpecInfo Spec(SweepRecord record) => specs.GetOrAdd(record.Id, _ =>
    {
        try
        {
            var limits = new SweepSpecLimits { MaxTrials = Math.Max(Math.Max(1, record.TotalTrials), sweepOptions.Value.MaxTrials) };
            return SpecInfo.From(SweepSpecParser.Parse(record.Spec, $"sweep {record.Id}", limits));
        }
        catch (SweepSpecException)
        {
            // A spec stored by an older build that this one no longer reads: show the sweep without its spec details.
            return new SpecInfo(null, []);
        }
    });

    /// <exception cref="ControlPlaneUnavailableException">The control plane did not answer.</exception>
    public async Task<SweepView> ChangeAsync(SweepRecord record, SweepAction action, CancellationToken cancellationToken)
    {
        await controlPlane.ChangeAsync(record.Id, action, cancellationToken);
        var updated = await store.GetSweepAsync(record.Id, cancellationToken) ?? record;
        return await ViewAsync(updated, cancellationToken);
    }

    public static string StatusName(SweepStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>The sweeps list's filter (all parts optional): name contains, exact status, exact experiment.</summary>
public sealed record SweepListFilter(string? Name = null, string? Status = null, string? Experiment = null)
{
    public bool Matches(SweepRecord record) =>
        (string.IsNullOrWhiteSpace(Name) || record.Name.Contains(Name.Trim(), StringComparison.OrdinalIgnoreCase) || record.Id.Contains(Name.Trim(), StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(Status) || string.Equals(SweepService.StatusName(record.Status), Status.Trim(), StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(Experiment) || string.Equals(record.Experiment, Experiment.Trim(), StringComparison.Ordinal));
}
