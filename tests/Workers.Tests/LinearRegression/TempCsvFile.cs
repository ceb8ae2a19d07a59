namespace GradDescent.Workers.Tests.LinearRegression;

/// <summary>A CSV file with the given text in a fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempCsvFile : IDisposable
{
    private readonly string folder;

    public TempCsvFile(string text)
    {
        folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "graddescent-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        Path = System.IO.Path.Combine(folder, "data.csv");
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
