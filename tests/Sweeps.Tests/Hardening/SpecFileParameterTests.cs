using GradDescent.Abstractions.Files;

namespace GradDescent.Sweeps.Tests.Hardening;

/// <summary>With a file gate in the limits, file parameters are checked where they are written, before anything is stored.</summary>
public sealed class SpecFileParameterTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("gd-spec-files-");

    public void Dispose() => root.Delete(recursive: true);

    [Fact]
    public void Parse_DataInsideTheRoot_Accepted()
    {
        var data = Path.Combine(root.FullName, "heights.csv");
        File.WriteAllText(data, "Height,Weight\n1,2\n3,4\n");

        var spec = SweepSpecParser.Parse($"name: ok\nexperiment: linear-regression\nparameters:\n  data: {data}\n", "ok.yaml", Limits());

        Assert.Equal(data, spec.Parameters["data"]);
    }

    [Fact]
    public void Parse_FileParametersOutsideTheRootOrNotFiles_EachReportedAtItsValue()
    {
        var link = Path.Combine(root.FullName, "passwd.csv");
        File.CreateSymbolicLink(link, "/etc/passwd");
        var text = $$"""
            name: bad
            experiment: adversarial
            parameters:
              out: {{root.FullName}}/images
            grid:
              image: [{{link}}, {{root.FullName}}]
            random:
              samples: 2
              space:
                model: {choice: [/etc/shadow, {{root.FullName}}/missing.h5]}
            """;

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, "bad.yaml", Limits()));

        Assert.Equal(
            [
                ("grid.image", 6, 11, $"'{link}' is outside the folders file parameters may use ({root.FullName})"),
                ("grid.image", 6, 13 + link.Length, $"'{root.FullName}' is a folder, expected a file"),
                ("random.space.model.choice", 10, 22, $"'/etc/shadow' is outside the folders file parameters may use ({root.FullName})"),
                ("random.space.model.choice", 10, 35, $"'{root.FullName}/missing.h5': file not found"),
            ],
            error.Errors.Select(e => (e.KeyPath, e.Line ?? 0, e.Column ?? 0, e.Problem)));
    }

    [Fact]
    public void Parse_WithoutAGate_PathsCheckedOnlyForForm()
    {
        var spec = SweepSpecParser.Parse("name: ok\nexperiment: linear-regression\nparameters:\n  data: /etc/shadow\n", "ok.yaml");

        Assert.Equal("/etc/shadow", spec.Parameters["data"]);
    }

    private SweepSpecLimits Limits() => new() { Files = new FileGate(new FileAccessOptions { Roots = [root.FullName] }) };
}
