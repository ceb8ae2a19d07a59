namespace GradDescent.Storage.Tests.Infrastructure;

/// <summary>The providers every store test runs against.</summary>
public static class StoreProvider
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> All => new() { Sqlite, Postgres };
}
