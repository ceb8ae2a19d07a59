namespace GradDescent.Storage.Schema;

/// <summary>
/// Schema step 8 on both databases: the files trials produce for reports (adversarial images, the linear-regression
/// data set). <c>sweep_artifacts</c> holds each distinct content once per sweep, addressed by its SHA-256;
/// <c>trial_artifacts</c> names, per trial, the files it produced and their content's hash. Both go with their sweep
/// (and trial) on delete.
/// </summary>
internal static class ArtifactTablesSql
{
    public const int Version = 8;

    public const string Description = "trial artefacts: sweep_artifacts (content by SHA-256, once per sweep) and trial_artifacts (name, media type, hash per trial)";

    /// <param name="textType">The provider's text column type.</param>
    /// <param name="integerType">The provider's 64-bit integer type.</param>
    /// <param name="blobType">The provider's binary column type.</param>
    /// <param name="tableOptions">Appended to each CREATE TABLE (SQLite: <c>WITHOUT ROWID</c>).</param>
    public static string Build(string textType, string integerType, string blobType, string tableOptions) =>
        $$"""
            CREATE TABLE sweep_artifacts (
                sweep_id  {{textType}} NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
                sha256    {{textType}} NOT NULL,
                size      {{integerType}} NOT NULL CHECK (size >= 0),
                content   {{blobType}} NOT NULL,
                PRIMARY KEY (sweep_id, sha256)
            ){{tableOptions}};

            CREATE TABLE trial_artifacts (
                sweep_id     {{textType}} NOT NULL,
                trial_index  {{integerType}} NOT NULL,
                name         {{textType}} NOT NULL,
                media_type   {{textType}} NOT NULL,
                sha256       {{textType}} NOT NULL,
                PRIMARY KEY (sweep_id, trial_index, name),
                FOREIGN KEY (sweep_id, trial_index) REFERENCES trials (sweep_id, trial_index) ON DELETE CASCADE
            ){{tableOptions}};
            """;
}
