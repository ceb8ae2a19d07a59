namespace GradDescent.Storage.Tests.Infrastructure;

/// <summary>The PostgreSQL server the tests use: <c>GRADDESCENT_TEST_POSTGRES</c>, set by tests/run-tests.sh.</summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "GRADDESCENT_TEST_POSTGRES";

    /// <exception cref="InvalidOperationException">The variable is not set: the PostgreSQL tests fail rather than skip.</exception>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set: these tests need PostgreSQL. Run ./tests/run-tests.sh (it starts a " +
                $"throw-away server) or set {EnvironmentVariable} to an Npgsql connection string whose user may create databases.");
}
