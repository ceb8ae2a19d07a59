namespace GradDescent.Storage.Schema;

/// <summary>
/// Schema step 5 on both databases: three nullable columns of <c>sweeps</c>. <c>spec_path</c> is the spec file a sweep
/// was started from (<c>resume</c> allows file parameters in its folder); <c>local_session</c> and <c>heartbeat_at</c>
/// are the local process running the sweep and its last sign of life, so <c>status</c> and <c>sweeps</c> tell an
/// interrupted local run from a running one (<see cref="Abstractions.Storage.SweepLiveness"/>). Existing rows keep
/// nulls: cluster sweeps and sweeps from before this step.
/// </summary>
internal static class SessionColumnsSql
{
    public const int Version = 6;

    public const string Description = "sweeps.spec_path, local_session and heartbeat_at (interrupted local runs)";

    /// <param name="textType">The provider's text column type.</param>
    /// <param name="timestampType">The provider's timestamp column type.</param>
    public static string Build(string textType, string timestampType) => $"""
        ALTER TABLE sweeps ADD COLUMN spec_path {textType} NULL;
        ALTER TABLE sweeps ADD COLUMN local_session {textType} NULL;
        ALTER TABLE sweeps ADD COLUMN heartbeat_at {timestampType} NULL;
        """;
}
