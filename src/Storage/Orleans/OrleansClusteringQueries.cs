namespace GradDescent.Storage.Orleans;

/// <summary>
/// The membership queries Orleans' ADO.NET clustering provider reads from <c>OrleansQuery</c> by key, written
/// for PostgreSQL. The provider binds parameters by name (<c>@DeploymentId</c>, <c>@Address</c>, <c>@Port</c>,
/// <c>@Generation</c>, <c>@Status</c>, <c>@Version</c>...) and reads result columns by name; conditional writes
/// return one boolean column (true when the row and the table version were both written).
/// Silo statuses: 3 = Active, 6 = Dead.
/// </summary>
internal static class OrleansClusteringQueries
{
    private const string MembershipColumns = """
        v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
        """;

    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["InsertMembershipVersionKey"] = """
            WITH created AS (
                INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
                ON CONFLICT (DeploymentId) DO NOTHING
                RETURNING 1
            )
            SELECT EXISTS (SELECT 1 FROM created);
            """,

        // The version row is locked and checked first; the new member and the version bump succeed together or not at all.
        ["InsertMembershipKey"] = """
            WITH expected AS (
                SELECT DeploymentId FROM OrleansMembershipVersionTable
                WHERE DeploymentId = @DeploymentId AND Version = @Version
                FOR UPDATE
            ), added AS (
                INSERT INTO OrleansMembershipTable
                    (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
                SELECT e.DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
                FROM expected AS e
                ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
                RETURNING DeploymentId
            ), bumped AS (
                UPDATE OrleansMembershipVersionTable AS v
                SET Version = v.Version + 1, Timestamp = now()
                FROM added AS a
                WHERE v.DeploymentId = a.DeploymentId
                RETURNING 1
            )
            SELECT EXISTS (SELECT 1 FROM bumped);
            """,

        ["UpdateMembershipKey"] = """
            WITH expected AS (
                SELECT DeploymentId FROM OrleansMembershipVersionTable
                WHERE DeploymentId = @DeploymentId AND Version = @Version
                FOR UPDATE
            ), changed AS (
                UPDATE OrleansMembershipTable AS m
                SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
                FROM expected AS e
                WHERE m.DeploymentId = e.DeploymentId
                  AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
                RETURNING m.DeploymentId
            ), bumped AS (
                UPDATE OrleansMembershipVersionTable AS v
                SET Version = v.Version + 1, Timestamp = now()
                FROM changed AS c
                WHERE v.DeploymentId = c.DeploymentId
                RETURNING 1
            )
            SELECT EXISTS (SELECT 1 FROM bumped);
            """,

        ["UpdateIAmAlivetimeKey"] = """
            UPDATE OrleansMembershipTable
            SET IAmAliveTime = @IAmAliveTime
            WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
            """,

        // The version row is returned even when no member matches, so the caller always learns the table version.
        ["MembershipReadRowKey"] = $"""
            SELECT {MembershipColumns}
            FROM OrleansMembershipVersionTable AS v
            LEFT JOIN OrleansMembershipTable AS m
                ON m.DeploymentId = v.DeploymentId
               AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
            WHERE v.DeploymentId = @DeploymentId;
            """,

        ["MembershipReadAllKey"] = $"""
            SELECT {MembershipColumns}
            FROM OrleansMembershipVersionTable AS v
            LEFT JOIN OrleansMembershipTable AS m ON m.DeploymentId = v.DeploymentId
            WHERE v.DeploymentId = @DeploymentId;
            """,

        ["DeleteMembershipTableEntriesKey"] = """
            DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
            DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
            """,

        ["GatewaysQueryKey"] = """
            SELECT Address, ProxyPort, Generation
            FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
            """,

        ["CleanupDefunctSiloEntriesKey"] = """
            DELETE FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId
              AND Status = 6
              AND IAmAliveTime < @IAmAliveTime
              AND StartTime < @IAmAliveTime
              AND COALESCE(SuspectTimes, '') = '';
            """,

        // Deletes one dead member only if it still holds the values the caller read (no concurrent change).
        ["CleanupDefunctSiloEntryKey"] = """
            DELETE FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId
              AND Address = @Address AND Port = @Port AND Generation = @Generation
              AND Status = 6
              AND StartTime = @StartTime
              AND IAmAliveTime = @IAmAliveTime
              AND COALESCE(SuspectTimes, '') = COALESCE(CAST(@SuspectTimes AS text), '');
            """,
    };
}
