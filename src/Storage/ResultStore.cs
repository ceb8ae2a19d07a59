using System.Runtime.CompilerServices;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Storage;
using GradDescent.Abstractions.Trials;
using GradDescent.Storage.Entities;
using GradDescent.Storage.Providers;
using GradDescent.Storage.Resilience;
using GradDescent.Storage.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GradDescent.Storage;

/// <summary>
/// The result store over EF Core (queries, small writes) and the dialect's bulk writer (results).
/// Every write runs through the <see cref="StorageResilience.WritePipelineName"/> Polly pipeline; every text is made
/// storable first (<see cref="StoredText"/>); a result batch the database refuses for a reason retrying cannot fix is
/// split until the refused rows are found, and those are stored as failed trials saying why.
/// </summary>
internal sealed class ResultStore(IStorageDialect dialect, ResultStoreOptions options, ILogger logger, StorageTelemetry? telemetry) : IResultStore
{
    private readonly StorageResilience writes = new(options, logger);

    public StorageProvider Provider => dialect.Provider;

    /// <summary>The dialect, for <see cref="Reports.ReportViews"/>.</summary>
    internal IStorageDialect Dialect => dialect;

    public Task<int> EnsureSchemaAsync(CancellationToken cancellationToken = default) =>
        EnsureSchemaAsync(SchemaMigrator.LatestVersion(dialect), cancellationToken);

    /// <summary>Upgrades only up to <paramref name="targetVersion"/> (tests of the upgrade path).</summary>
    internal Task<int> EnsureSchemaAsync(int targetVersion, CancellationToken cancellationToken) =>
        writes.ExecuteAsync(
            async ct => await SchemaMigrator.ApplyAsync(dialect, targetVersion, options.TimeProvider, logger, ct).ConfigureAwait(false),
            cancellationToken);

    public async Task CreateSweepAsync(SweepRecord sweep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        RequireText(sweep.Id, "sweep.Id");
        RequireText(sweep.Name, "sweep.Name");
        RequireText(sweep.Experiment, "sweep.Experiment");
        ArgumentNullException.ThrowIfNull(sweep.Spec, "sweep.Spec");
        RequireText(sweep.SpecFormat, "sweep.SpecFormat");
        ArgumentOutOfRangeException.ThrowIfNegative(sweep.TotalTrials, "sweep.TotalTrials");

        await writes.ExecuteAsync(
            async ct =>
            {
                await using var db = new ResultsDbContext(dialect.ContextOptions);
                if (await db.Sweeps.AnyAsync(s => s.Id == sweep.Id, ct).ConfigureAwait(false))
                {
                    throw new SweepAlreadyExistsException(sweep.Id);
                }

                db.Sweeps.Add(ToEntity(sweep));
                try
                {
                    await db.SaveChangesAsync(ct).ConfigureAwait(false);
                }
                catch (DbUpdateException e) when (!DatabaseErrors.IsTransient(e))
                {
                    // Lost a race with another creator of the same id.
                    await using var check = new ResultsDbContext(dialect.ContextOptions);
                    if (await check.Sweeps.AnyAsync(s => s.Id == sweep.Id, ct).ConfigureAwait(false))
                    {
                        throw new SweepAlreadyExistsException($"a sweep with id '{sweep.Id}' already exists", e);
                    }

                    throw;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        await using var db = new ResultsDbContext(dialect.ContextOptions);
        var entity = await db.Sweeps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sweepId, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToRecord(entity);
    }

    public async Task<IReadOnlyList<SweepRecord>> ListSweepsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = new ResultsDbContext(dialect.ContextOptions);
        var entities = await db.Sweeps.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);

        // Ordered here: EF Core's SQLite provider cannot ORDER BY a DateTimeOffset column.
        return [.. entities.Select(ToRecord).OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyDictionary<SweepStatus, long>> CountSweepsByStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var db = new ResultsDbContext(dialect.ContextOptions);
        var rows = await db.Sweeps.AsNoTracking()
            .GroupBy(s => s.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = Enum.GetValues<SweepStatus>().ToDictionary(s => s, _ => 0L);
        foreach (var row in rows)
        {
            counts[StatusText.ParseSweep(row.Status)] += row.Count;
        }

        return counts;
    }

    public async Task SetSweepStatusAsync(string sweepId, SweepStatus status, string? error = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        var text = StatusText.Of(status);
        error = error is null ? null : StoredText.Clean(error, StoredText.MaxErrorLength);
        var now = options.TimeProvider.GetUtcNow();
        DateTimeOffset? startedAt = status == SweepStatus.Running ? now : null;
        DateTimeOffset? finishedAt = status is SweepStatus.Completed or SweepStatus.Cancelled or SweepStatus.Failed ? now : null;

        var updated = await writes.ExecuteAsync(
            async ct =>
            {
                await using var db = new ResultsDbContext(dialect.ContextOptions);
                return await db.Sweeps.Where(s => s.Id == sweepId).ExecuteUpdateAsync(
                    set => set
                        .SetProperty(s => s.Status, text)
                        .SetProperty(s => s.Error, error)
                        .SetProperty(s => s.StartedAt, s => s.StartedAt ?? startedAt)
                        .SetProperty(s => s.FinishedAt, finishedAt),
                    ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            throw new KeyNotFoundException($"no sweep has id '{sweepId}'");
        }
    }

    public async Task SetSweepWaitingAsync(string sweepId, string? waiting, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        var text = waiting is null ? null : StoredText.Clean(waiting, StoredText.MaxErrorLength);
        var running = StatusText.Of(SweepStatus.Running);
        await writes.ExecuteAsync(
            async ct =>
            {
                await using var db = new ResultsDbContext(dialect.ContextOptions);
                return await db.Sweeps.Where(s => s.Id == sweepId && s.Status == running)
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.Error, text), ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<SweepLiveness?> GetSweepLivenessAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        await using var db = new ResultsDbContext(dialect.ContextOptions);
        var row = await db.Sweeps.AsNoTracking().Where(s => s.Id == sweepId)
            .Select(s => new { s.Status, s.LocalSession, s.HeartbeatAt })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : new SweepLiveness(StatusText.ParseSweep(row.Status), row.LocalSession, row.HeartbeatAt);
    }

    public async Task<bool> SetSweepHeartbeatAsync(string sweepId, string session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        ArgumentException.ThrowIfNullOrWhiteSpace(session);
        session = StoredText.Clean(session, StoredText.MaxLabelLength);
        DateTimeOffset? now = options.TimeProvider.GetUtcNow();
        var updated = await writes.ExecuteAsync(
            async ct =>
            {
                await using var db = new ResultsDbContext(dialect.ContextOptions);
                return await db.Sweeps.Where(s => s.Id == sweepId).ExecuteUpdateAsync(
                    set => set.SetProperty(s => s.LocalSession, session).SetProperty(s => s.HeartbeatAt, now),
                    ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return updated > 0;
    }

    public async Task ClearSweepHeartbeatAsync(string sweepId, string session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        ArgumentException.ThrowIfNullOrWhiteSpace(session);
        session = StoredText.Clean(session, StoredText.MaxLabelLength);
        await writes.ExecuteAsync(
            async ct =>
            {
                await using var db = new ResultsDbContext(dialect.ContextOptions);
                await db.Sweeps.Where(s => s.Id == sweepId && s.LocalSession == session).ExecuteUpdateAsync(
                    set => set.SetProperty(s => s.HeartbeatAt, (DateTimeOffset?)null),
                    ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteSweepAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        var deleted = await writes.ExecuteAsync(
            async ct =>
            {
                // Children first, explicitly: the schema's ON DELETE CASCADE would do it, but only where foreign keys are enforced.
                await using var db = new ResultsDbContext(dialect.ContextOptions);
                await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
                await db.TrialSteps.Where(s => s.SweepId == sweepId).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                await db.Trials.Where(t => t.SweepId == sweepId).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                var sweeps = await db.Sweeps.Where(s => s.Id == sweepId).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return sweeps;
            },
            cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            StorageLog.SweepDeleted(logger, sweepId);
        }

        return deleted > 0;
    }

    public async Task<int> SaveResultsAsync(IReadOnlyList<TrialResult> results, CancellationToken cancellationToken = default)
    {
        var rows = TrialRow.FromBatch(results, options.MaxArtifactBytes);
        if (rows.Count == 0)
        {
            return 0;
        }

        foreach (var row in rows)
        {
            foreach (var (name, reason) in row.DroppedArtifacts)
            {
                StorageLog.ArtifactDropped(logger, row.Trial.SweepId, row.Trial.TrialIndex, name, reason);
            }
        }

        var started = options.TimeProvider.GetTimestamp();
        var inserted = new StoredTrialCounts();
        try
        {
            try
            {
                inserted.Add(await WriteRowsAsync(rows, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (DatabaseErrors.IsDataError(e))
            {
                await IsolateAsync(rows, e, inserted, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (DatabaseErrors.IsForeignKeyViolation(e))
        {
            telemetry?.RecordWriteError();
            throw await MissingSweepErrorAsync(rows, e, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            telemetry?.RecordWriteError();
            throw;
        }

        if (telemetry is not null)
        {
            telemetry.RecordWrite(options.TimeProvider.GetElapsedTime(started));
            foreach (var (experiment, status, count) in inserted.Groups)
            {
                telemetry.RecordStored(experiment, status, count);
            }
        }

        StorageLog.ResultsSaved(logger, inserted.Total, results.Count, results.Count - inserted.Total);
        return inserted.Total;
    }

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the rows in one transaction (retrying transient errors); what was new.</summary>
    private Task<StoredTrialCounts> WriteRowsAsync(IReadOnlyList<TrialRow> rows, CancellationToken cancellationToken)
    {
        var attempt = 0;
        return writes.ExecuteAsync(
            async ct =>
            {
                attempt++;
                await using var connection = await dialect.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                var count = await dialect.WriteTrialsAsync(connection, transaction, rows, ct).ConfigureAwait(false);
                if (options.BeforeResultsCommit is { } hook)
                {
                    await hook(connection, attempt, ct).ConfigureAwait(false);
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return count;
            },
            cancellationToken);
    }

    /// <summary>
    /// The database refused the batch because of some row's values: stores each half on its own, splitting further
    /// wherever it is refused again, until the refused rows stand alone; each of those is stored as a failed trial
    /// saying why (<see cref="TrialRow.Unstorable"/>). The rest of the batch is stored as it is.
    /// </summary>
    private async Task IsolateAsync(IReadOnlyList<TrialRow> rows, Exception cause, StoredTrialCounts stored, CancellationToken cancellationToken)
    {
        if (rows.Count == 1)
        {
            stored.Add(await StoreAsFailedAsync(rows[0], cause, cancellationToken).ConfigureAwait(false));
            return;
        }

        StorageLog.SplittingRefusedBatch(logger, cause, rows.Count, DatabaseErrors.Describe(cause));
        var half = rows.Count / 2;
        foreach (var part in new[] { rows.Take(half).ToList(), rows.Skip(half).ToList() })
        {
            try
            {
                stored.Add(await WriteRowsAsync(part, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (DatabaseErrors.IsDataError(e))
            {
                await IsolateAsync(part, e, stored, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<StoredTrialCounts> StoreAsFailedAsync(TrialRow row, Exception cause, CancellationToken cancellationToken)
    {
        var reason = $"the result could not be stored ({DatabaseErrors.Describe(cause)}); it was stored as failed so the sweep can finish";
        StorageLog.StoringRefusedTrialAsFailed(logger, cause, row.Trial.SweepId, row.Trial.TrialIndex);
        try
        {
            return await WriteRowsAsync([TrialRow.Unstorable(row, reason)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (DatabaseErrors.IsDataError(e))
        {
            // The parameters or labels themselves are refused: keep only the trial's identity and the reason.
            return await WriteRowsAsync([TrialRow.Unstorable(row, reason, bare: true)], cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlySet<long>> GetStoredTrialIndexesAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        await using var db = new ResultsDbContext(dialect.ContextOptions);
        var indexes = new HashSet<long>();
        var query = db.Trials.Where(t => t.SweepId == sweepId).Select(t => t.TrialIndex).AsAsyncEnumerable();
        await foreach (var index in query.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            indexes.Add(index);
        }

        return indexes;
    }

    public async Task<SweepProgress> GetProgressAsync(string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        await using var db = new ResultsDbContext(dialect.ContextOptions);
        var sweep = await db.Sweeps.AsNoTracking().Where(s => s.Id == sweepId)
            .Select(s => new { s.Experiment, s.TotalTrials })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"no sweep has id '{sweepId}'");
        var definition = ExperimentCatalog.Find(sweep.Experiment)
            ?? throw new InvalidOperationException($"sweep '{sweepId}' names unknown experiment '{sweep.Experiment}'");

        var counts = await db.Trials.Where(t => t.SweepId == sweepId)
            .GroupBy(t => t.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(c => c.Status, c => c.Count, cancellationToken).ConfigureAwait(false);

        var candidates = db.Trials.Where(t => t.SweepId == sweepId && t.Status == StatusText.Completed && t.PrimaryMetric != null);
        var ordered = definition.Goal == MetricGoal.Minimize
            ? candidates.OrderBy(t => t.PrimaryMetric)
            : candidates.OrderByDescending(t => t.PrimaryMetric);
        var best = await ordered.ThenBy(t => t.TrialIndex)
            .Select(t => new { t.TrialIndex, t.PrimaryMetric })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

        return new SweepProgress
        {
            SweepId = sweepId,
            TotalTrials = sweep.TotalTrials,
            Completed = counts.GetValueOrDefault(StatusText.Completed),
            Diverged = counts.GetValueOrDefault(StatusText.Diverged),
            Failed = counts.GetValueOrDefault(StatusText.Failed),
            Pruned = counts.GetValueOrDefault(StatusText.Pruned),
            PrimaryMetric = definition.PrimaryMetric,
            Goal = definition.Goal,
            BestPrimaryMetric = best?.PrimaryMetric,
            BestTrialIndex = best?.TrialIndex,
        };
    }

    public async IAsyncEnumerable<TrialResult> GetResultsAsync(string sweepId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        await using var db = new ResultsDbContext(dialect.ContextOptions);
        var query = db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId).OrderBy(t => t.TrialIndex).AsAsyncEnumerable();
        await foreach (var trial in query.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return TrialRow.ToResult(trial);
        }
    }

    public async IAsyncEnumerable<TrialResult> GetResultsAsync(
        string sweepId, IReadOnlyCollection<string> stepMetrics, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        ArgumentNullException.ThrowIfNull(stepMetrics);
        var series = new Dictionary<long, List<StepSeries>>();
        if (stepMetrics.Count > 0)
        {
            var metrics = stepMetrics.Distinct(StringComparer.Ordinal).ToList();
            await using var db = new ResultsDbContext(dialect.ContextOptions);
            var steps = db.TrialSteps.AsNoTracking().Where(s => s.SweepId == sweepId && metrics.Contains(s.Metric)).AsAsyncEnumerable();
            await foreach (var step in steps.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (!series.TryGetValue(step.TrialIndex, out var list))
                {
                    series[step.TrialIndex] = list = [];
                }

                list.Add(new StepSeries(step.Metric, step.StepValues));
            }
        }

        await foreach (var result in GetResultsAsync(sweepId, cancellationToken).ConfigureAwait(false))
        {
            yield return series.TryGetValue(result.Index, out var list)
                ? result with { Steps = [.. list.OrderBy(s => s.Metric, StringComparer.Ordinal)] }
                : result;
        }
    }

    public async Task SetSweepObjectivesAsync(string sweepId, IReadOnlyList<SweepObjectiveRecord> objectives, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Count > SearchSchemaSql.MaxObjectives)
        {
            throw new ArgumentException($"{objectives.Count} objectives; a sweep has at most {SearchSchemaSql.MaxObjectives}", nameof(objectives));
        }

        for (var i = 0; i < objectives.Count; i++)
        {
            RequireText(objectives[i]?.Name, $"objectives[{i}].Name");
        }

        await writes.ExecuteAsync(
            async ct =>
            {
                await using var connection = await dialect.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                if (await ExecuteAsync(connection, transaction, "SELECT COUNT(*) FROM sweeps WHERE id = @sweep", ct, ("@sweep", sweepId)).ConfigureAwait(false) == 0)
                {
                    throw new KeyNotFoundException($"no sweep has id '{sweepId}'");
                }

                await ExecuteAsync(connection, transaction, "DELETE FROM sweep_objectives WHERE sweep_id = @sweep", ct, ("@sweep", sweepId)).ConfigureAwait(false);
                for (var i = 0; i < objectives.Count; i++)
                {
                    var maximize = objectives[i].Goal == MetricGoal.Maximize;
                    await ExecuteAsync(
                        connection,
                        transaction,
                        "INSERT INTO sweep_objectives (sweep_id, position, name, goal, goal_sign) VALUES (@sweep, @position, @name, @goal, @sign)",
                        ct,
                        ("@sweep", sweepId),
                        ("@position", i + 1),
                        ("@name", StoredText.Clean(objectives[i].Name, StoredText.MaxLabelLength)),
                        ("@goal", maximize ? "maximize" : "minimize"),
                        ("@sign", maximize ? -1 : 1)).ConfigureAwait(false);
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StepSeries>> GetStepsAsync(string sweepId, long trialIndex, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepId);
        await using var db = new ResultsDbContext(dialect.ContextOptions);
        var steps = await db.TrialSteps.AsNoTracking()
            .Where(s => s.SweepId == sweepId && s.TrialIndex == trialIndex)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. steps.OrderBy(s => s.Metric, StringComparer.Ordinal).Select(s => new StepSeries(s.Metric, s.StepValues))];
    }

    public ValueTask DisposeAsync() => dialect.DisposeAsync();

    /// <summary>Names the first result whose sweep does not exist (the batch was rolled back).</summary>
    private async Task<Exception> MissingSweepErrorAsync(IReadOnlyList<TrialRow> rows, Exception cause, CancellationToken cancellationToken)
    {
        var sweepIds = rows.Select(r => r.Trial.SweepId).Distinct().ToList();
        await using var db = new ResultsDbContext(dialect.ContextOptions);
        var existing = await db.Sweeps.Where(s => sweepIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var missing = rows.FirstOrDefault(r => !existing.Contains(r.Trial.SweepId));
        return missing is null
            ? cause
            : new KeyNotFoundException(
                $"no sweep has id '{missing.Trial.SweepId}' (result for trial {missing.Trial.TrialIndex}); create the sweep before saving its results; nothing in the batch was stored",
                cause);
    }

    /// <summary>Runs one parameterised statement; a query's first value (as long), or the affected row count.</summary>
    private static async Task<long> ExecuteAsync(
        System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction,
        string sql,
        CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return sql.StartsWith("SELECT", StringComparison.Ordinal)
            ? Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture)
            : await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void RequireText(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{name} is empty", name);
        }
    }

    private static SweepEntity ToEntity(SweepRecord sweep) => new()
    {
        Id = sweep.Id,
        Name = StoredText.Clean(sweep.Name),
        Experiment = sweep.Experiment,
        Spec = StoredText.Clean(sweep.Spec),
        SpecFormat = sweep.SpecFormat,
        Status = StatusText.Of(sweep.Status),
        TotalTrials = sweep.TotalTrials,
        CreatedAt = sweep.CreatedAt.ToUniversalTime(),
        StartedAt = sweep.StartedAt?.ToUniversalTime(),
        FinishedAt = sweep.FinishedAt?.ToUniversalTime(),
        Error = sweep.Error is null ? null : StoredText.Clean(sweep.Error, StoredText.MaxErrorLength),
        SpecPath = sweep.SpecPath is null ? null : StoredText.Clean(sweep.SpecPath),
        LocalSession = sweep.LocalSession is null ? null : StoredText.Clean(sweep.LocalSession, StoredText.MaxLabelLength),
        HeartbeatAt = sweep.HeartbeatAt?.ToUniversalTime(),
    };

    private static SweepRecord ToRecord(SweepEntity entity) => new()
    {
        Id = entity.Id,
        Name = entity.Name,
        Experiment = entity.Experiment,
        Spec = entity.Spec,
        SpecFormat = entity.SpecFormat,
        Status = StatusText.ParseSweep(entity.Status),
        TotalTrials = entity.TotalTrials,
        CreatedAt = entity.CreatedAt,
        StartedAt = entity.StartedAt,
        FinishedAt = entity.FinishedAt,
        Error = entity.Error,
        SpecPath = entity.SpecPath,
        LocalSession = entity.LocalSession,
        HeartbeatAt = entity.HeartbeatAt,
    };
}
