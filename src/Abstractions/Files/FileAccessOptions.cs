using System.ComponentModel.DataAnnotations;

namespace GradDescent.Abstractions.Files;

/// <summary>
/// Where file parameters (<c>data</c>, <c>image</c>, <c>model</c>, <c>out</c>) may point and how much of a file is
/// read; section <c>GradDescent:Files</c> (environment: <c>GradDescent__Files__Roots__0</c>, <c>__1</c>, …). With no
/// roots every file parameter is refused. The command line adds the spec's folder and the working directory in local
/// mode (docs/security.md).
/// </summary>
public sealed class FileAccessOptions
{
    public const string Section = "GradDescent:Files";

    /// <summary>Default cap on one file: 256 MiB.</summary>
    public const long DefaultMaxFileBytes = 256L * 1024 * 1024;

    /// <summary>Folders whose files (after symlinks are resolved) file parameters may read and write.</summary>
    public List<string> Roots { get; set; } = [];

    /// <summary>Largest file a parameter may read, in bytes.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxFileBytes { get; set; } = DefaultMaxFileBytes;

    /// <summary>Longest one file read may take before the trial fails.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
