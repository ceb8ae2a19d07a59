using System.Xml.Linq;

namespace GradDescent.Deploy.Testing;

/// <summary>The product version container images are tagged with (CONTRACT: Version).</summary>
public static class ProjectVersion
{
    /// <summary>CONTRACT.md's version, used while Directory.Build.props has no &lt;Version&gt; yet.</summary>
    public const string ContractVersion = "0.2.0";

    /// <summary>&lt;Version&gt; of Directory.Build.props, or <see cref="ContractVersion"/> when the file sets none.</summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        var props = XDocument.Load(RepositoryLayout.PathOf("Directory.Build.props"));
        var version = props.Descendants("Version").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0);
        return version ?? ContractVersion;
    }
}
