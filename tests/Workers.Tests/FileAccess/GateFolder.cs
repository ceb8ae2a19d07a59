using System.Diagnostics;
using GradDescent.Abstractions.Files;
using Xunit;

namespace GradDescent.Workers.Tests.FileAccess;

/// <summary>A temporary root folder with a gate over it, plus a sibling folder outside the root; both deleted on dispose.</summary>
internal sealed class GateFolder : IDisposable
{
    private readonly DirectoryInfo top = Directory.CreateTempSubdirectory("gd-gate-");

    public GateFolder(long maxFileBytes = FileAccessOptions.DefaultMaxFileBytes, TimeSpan? readTimeout = null)
    {
        Root = Directory.CreateDirectory(Path.Combine(top.FullName, "root")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(top.FullName, "outside")).FullName;
        Gate = new FileGate(new FileAccessOptions { Roots = [Root], MaxFileBytes = maxFileBytes, ReadTimeout = readTimeout ?? TimeSpan.FromSeconds(30) });
    }

    public string Root { get; }

    public string Outside { get; }

    public FileGate Gate { get; }

    public string Write(string relative, string content, bool outside = false)
    {
        var path = Path.Combine(outside ? Outside : Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string Link(string relative, string target)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
        return path;
    }

    public string Fifo(string relative)
    {
        var path = Path.Combine(Root, relative);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    public void Dispose() => top.Delete(recursive: true);
}
