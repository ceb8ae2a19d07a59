using GradDescent.Abstractions.Experiments;

namespace GradDescent.Sweeps.Tests;

/// <summary>docs/experiments.md is the reference generated from the experiment definitions, never a stale copy.</summary>
public sealed class ExperimentReferenceTests
{
    /// <summary>Set to 1 to rewrite docs/experiments.md from the definitions instead of comparing.</summary>
    private const string WriteVariable = "GRADDESCENT_WRITE_DOCS";

    [Fact]
    public void DocsExperimentsMd_MatchesTheDefinitions()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "experiments.md");
        var generated = ExperimentReference.Markdown(ExperimentCatalog.All);
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run {WriteVariable}=1 dotnet test tests/Sweeps.Tests --filter ExperimentReference");
        Assert.True(
            File.ReadAllText(path) == generated,
            $"docs/experiments.md is stale (a definition changed): regenerate it with {WriteVariable}=1 dotnet test tests/Sweeps.Tests --filter ExperimentReference");
    }

    [Fact]
    public void Rows_EveryExperiment_ListEveryParameterWithTypeAndDefault()
    {
        foreach (var experiment in ExperimentCatalog.All)
        {
            var rows = ExperimentReference.Rows(experiment);
            Assert.Equal(experiment.Parameters.Select(p => p.Name), rows.Select(r => r.Name));
            Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Type) || string.IsNullOrWhiteSpace(r.Default) || string.IsNullOrWhiteSpace(r.Meaning), r.Name));
        }

        var vectors = ExperimentReference.Rows(VectorSpreadDefinition.Instance).Single(r => r.Name == "vectors");
        Assert.Equal(("integer", ">= 2, <= 100000", "20"), (vectors.Type, vectors.Range, vectors.Default));
        var start = ExperimentReference.Rows(LinearRegressionDefinition.Instance).Single(r => r.Name == "start");
        Assert.Equal(("choice", "article, exact, zero", "article"), (start.Type, start.Range, start.Default));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GradDescent.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no GradDescent.sln above {AppContext.BaseDirectory}");
    }
}
