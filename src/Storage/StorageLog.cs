using Microsoft.Extensions.Logging;

namespace GradDescent.Storage;

/// <summary>The result store's log messages (event ids 3000-3099).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Applied {Provider} schema step {Version}: {Description}")]
    public static partial void SchemaStepApplied(ILogger logger, StorageProvider provider, int version, string description);

    /// <summary>One line per retry, without a stack trace: the reason is the error's type and first message line.</summary>
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Transient database error; retry {Attempt} in {DelaySeconds:0.0} s: {Reason}")]
    public static partial void RetryingWrite(ILogger logger, int attempt, double delaySeconds, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Stored {Inserted} of {Count} trial results ({Duplicates} already stored)")]
    public static partial void ResultsSaved(ILogger logger, int inserted, int count, int duplicates);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "The database refused a batch of {Count} results ({Reason}); storing its halves separately to find the refused rows")]
    public static partial void SplittingRefusedBatch(ILogger logger, Exception exception, int count, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "The database refused the result of trial {SweepId}#{TrialIndex}; storing it as failed with the reason")]
    public static partial void StoringRefusedTrialAsFailed(ILogger logger, Exception exception, string sweepId, long trialIndex);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Installed the Orleans clustering schema and {QueryCount} membership queries")]
    public static partial void OrleansClusteringInstalled(ILogger logger, int queryCount);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Deleted sweep {SweepId} with its trials and step series")]
    public static partial void SweepDeleted(ILogger logger, string sweepId);
    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Rewrote {Provider} table experiment_goals from the experiment catalog ({Count} experiments)")]
    public static partial void ExperimentGoalsSynced(ILogger logger, StorageProvider provider, int count);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Artefact {Name} of trial {SweepId}#{TrialIndex} not stored: {Reason}")]
    public static partial void ArtifactDropped(ILogger logger, string sweepId, long trialIndex, string name, string reason);
}
