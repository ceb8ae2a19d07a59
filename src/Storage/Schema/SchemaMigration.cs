namespace GradDescent.Storage.Schema;

/// <summary>One ordered schema step: applied once, in a transaction, then recorded in <c>schema_version</c>.</summary>
/// <param name="Version">1, 2, ... without gaps.</param>
/// <param name="Description">What the step adds, stored beside the version.</param>
/// <param name="Sql">The step's statements (separated by semicolons).</param>
internal sealed record SchemaMigration(int Version, string Description, string Sql);
