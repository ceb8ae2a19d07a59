namespace GradDescent.Storage.Reports;

/// <summary>An artefact a trial stored: its name, media type, content hash and size (null when the content is missing).</summary>
public sealed record StoredArtifact(string Name, string MediaType, string Sha256, long? Size);
