using GradDescent.Abstractions.Files;

namespace GradDescent.Workers.Tests.LinearRegression;

/// <summary>A CSV file in its own folder under <see cref="Root"/>, deleted on dispose.</summary>
internal sealed class TempCsvFile : IDisposable
{
    private readonly string folder;

    public TempCsvFile(string text)
    {
        folder = System.IO.Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        Path = System.IO.Path.Combine(folder, "data.csv");
        File.WriteAllText(Path, text);
    }

    /// <summary>Where every test CSV lives: the only root of <see cref="Gate"/>.</summary>
    public static string Root { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "graddescent-tests")).FullName;

    /// <summary>A file gate that allows the test CSVs and nothing else.</summary>
    public static FileGate Gate { get; } = new(new FileAccessOptions { Roots = [Root] });

    public string Path { get; }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
