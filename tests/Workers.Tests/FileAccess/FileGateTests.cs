using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Parameters;
using Xunit;

namespace GradDescent.Workers.Tests.FileAccess;

public sealed class FileGateTests : IDisposable
{
    private readonly GateFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ResolveInput_FileInsideTheRoot_ResolvedWithItsSizeAndReadable()
    {
        var path = folder.Write("sub/data.csv", "Height,Weight\n1,2\n");

        var file = folder.Gate.ResolveInput("data", path);

        Assert.Equal((path, path, 18L), (file.RequestedPath, file.FullPath, file.Length));
        Assert.Equal("Height,Weight\n1,2\n"u8.ToArray(), folder.Gate.ReadAllBytes(file));
    }

    [Fact]
    public void ResolveInput_RelativePath_ResolvedAgainstTheWorkingDirectory()
    {
        var gate = new FileGate(new FileAccessOptions { Roots = ["."] });
        var name = $"gd-relative-{Guid.NewGuid():N}.csv";
        File.WriteAllText(name, "x");
        try
        {
            Assert.Equal(Path.GetFullPath(name), gate.ResolveInput("data", name).FullPath);
            Assert.Contains("is outside the folders", Assert.Throws<ParameterException>(() => gate.ResolveInput("data", "../" + name)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(name);
        }
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/etc/no-such-file-anywhere")]
    [InlineData("/proc/self/environ")]
    [InlineData("/dev/zero")]
    public void ResolveInput_OutsideTheRoots_RefusedAlikeWhetherItExistsOrNot(string path)
    {
        var error = Assert.Throws<ParameterException>(() => folder.Gate.ResolveInput("data", path));

        Assert.Equal($"parameter 'data': '{path}' is outside the folders file parameters may use ({folder.Root})", error.Message);
    }

    [Fact]
    public void ResolveInput_DotDotOutOfTheRoot_Refused()
    {
        folder.Write("secret.csv", "x", outside: true);

        var error = Assert.Throws<ParameterException>(() => folder.Gate.ResolveInput("data", Path.Combine(folder.Root, "..", "outside", "secret.csv")));

        Assert.Contains("is outside the folders file parameters may use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveInput_SymlinkInsideTheRootToAFileOutside_Refused()
    {
        var link = folder.Link("innocent.csv", "/etc/passwd");

        var error = Assert.Throws<ParameterException>(() => folder.Gate.ResolveInput("data", link));

        Assert.Equal($"parameter 'data': '{link}' is outside the folders file parameters may use ({folder.Root})", error.Message);
    }

    [Fact]
    public void ResolveInput_SymlinkedFolderOnTheWayOut_Refused()
    {
        folder.Write("secret.csv", "x", outside: true);
        folder.Link("escape", folder.Outside);

        var error = Assert.Throws<ParameterException>(() => folder.Gate.ResolveInput("data", Path.Combine(folder.Root, "escape", "secret.csv")));

        Assert.Contains("is outside the folders file parameters may use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveInput_SymlinkOutsideIntoTheRoot_AllowedAsTheFileItResolvesTo()
    {
        var data = folder.Write("v2/data.csv", "x");
        var link = Path.Combine(folder.Outside, "current.csv");
        File.CreateSymbolicLink(link, data);

        Assert.Equal(data, folder.Gate.ResolveInput("data", link).FullPath);
    }

    [Fact]
    public async Task ResolveInput_Fifo_RefusedWithoutBlocking()
    {
        var fifo = folder.Fifo("pipe.csv");

        var resolve = Task.Run(() => folder.Gate.ResolveInput("data", fifo));

        var error = await Assert.ThrowsAsync<ParameterException>(() => resolve.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal($"parameter 'data': '{fifo}' is not a regular file (a device, FIFO or socket)", error.Message);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/null")]
    public void ResolveInput_DeviceUnderARootOfSlash_RefusedAsNotARegularFile(string device)
    {
        var everything = new FileGate(new FileAccessOptions { Roots = ["/"] });

        var error = Assert.Throws<ParameterException>(() => everything.ResolveInput("data", device));

        Assert.EndsWith("is not a regular file (a device, FIFO or socket)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveInput_Folder_RefusedAsAFolder() =>
        Assert.EndsWith("is a folder, expected a file", Assert.Throws<ParameterException>(() => folder.Gate.ResolveInput("image", folder.Root)).Message, StringComparison.Ordinal);

    [Fact]
    public void ResolveInput_Missing_NotFound() =>
        Assert.EndsWith(": file not found", Assert.Throws<ParameterException>(() => folder.Gate.ResolveInput("model", Path.Combine(folder.Root, "none.h5"))).Message, StringComparison.Ordinal);

    [Fact]
    public void ResolveInput_LargerThanTheCap_RefusedBeforeReading()
    {
        using var small = new GateFolder(maxFileBytes: 1000);
        var path = Path.Combine(small.Root, "huge.csv");
        using (var file = File.Create(path))
        {
            file.SetLength(10L * 1024 * 1024 * 1024);
        }

        var error = Assert.Throws<ParameterException>(() => small.Gate.ResolveInput("data", path));

        Assert.Equal($"parameter 'data': '{path}' is 10,737,418,240 bytes, more than the limit of 1,000 bytes (GradDescent:Files:MaxFileBytes)", error.Message);
    }

    [Fact]
    public void ReadAllBytes_FileGrewPastTheCapAfterTheCheck_Refused()
    {
        using var small = new GateFolder(maxFileBytes: 1000);
        var path = Path.Combine(small.Root, "growing.csv");
        File.WriteAllText(path, "small");
        var file = small.Gate.ResolveInput("data", path);
        File.WriteAllBytes(path, new byte[5000]);

        var error = Assert.Throws<ParameterException>(() => small.Gate.ReadAllBytes(file));

        Assert.Contains("more than the limit of 1,000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAllBytes_FileSwappedForAFifoAfterTheCheck_RefusedWithoutBlocking()
    {
        var path = folder.Write("swap.csv", "Height,Weight\n");
        var file = folder.Gate.ResolveInput("data", path);
        File.Delete(path);
        folder.Fifo("swap.csv");

        var error = Assert.Throws<ParameterException>(() => folder.Gate.ReadAllBytes(file));

        Assert.EndsWith("is not a regular file (a device, FIFO or socket)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAllBytes_FileSwappedForASymlinkOutAfterTheCheck_Refused()
    {
        var path = folder.Write("swap.csv", "Height,Weight\n");
        var file = folder.Gate.ResolveInput("data", path);
        File.Delete(path);
        folder.Link("swap.csv", "/etc/passwd");

        var error = Assert.Throws<ParameterException>(() => folder.Gate.ReadAllBytes(file));

        Assert.Equal("data", error.Parameter);
        Assert.DoesNotContain("root:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAllBytes_ReadThatNeverReturns_FailsAfterTheReadTimeout()
    {
        using var slow = new GateFolder(readTimeout: TimeSpan.FromMilliseconds(200));
        using var never = new ManualResetEventSlim();
        using var stop = new CancellationTokenSource();

        var error = Assert.Throws<ParameterException>(
            () => slow.Gate.WithTimeout("data", "slow.csv", () => never.Wait(TimeSpan.FromMinutes(5)), stop, CancellationToken.None));

        Assert.Equal("parameter 'data': 'slow.csv': reading took longer than 0.2 s (GradDescent:Files:ReadTimeout)", error.Message);
        Assert.True(stop.IsCancellationRequested);
        never.Set();
    }

    [Theory]
    [InlineData("/etc/passwd\0.csv")]
    [InlineData("data\n.csv")]
    [InlineData("\u001b[2Jdata.csv")]
    public void ResolveInput_ControlCharacterInThePath_Refused(string path) =>
        Assert.Equal(
            "parameter 'data': a file path must not contain control characters",
            Assert.Throws<ParameterException>(() => folder.Gate.ResolveInput("data", path)).Message);

    [Fact]
    public void ResolveInput_NoRootsConfigured_EveryFileRefused()
    {
        var path = folder.Write("data.csv", "x");

        var error = Assert.Throws<ParameterException>(() => FileGate.Closed.ResolveInput("data", path));

        Assert.Equal($"parameter 'data': '{path}': file parameters are disabled here (no folders are allowed: set GradDescent__Files__Roots__0)", error.Message);
    }

    [Fact]
    public void WriteFile_NewFolderInsideTheRoot_CreatedAndWritten()
    {
        var target = Path.Combine(folder.Root, "out", "run1");

        var written = folder.Gate.WriteFile(folder.Gate.ResolveOutputFolder("out", target), "original.png", [1, 2, 3]);

        Assert.Equal(Path.Combine(target, "original.png"), written);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(written));
        Assert.Equal(["original.png"], Directory.GetFiles(target).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteFile_SymlinkPlantedAtTheTargetName_ReplacedNotFollowed()
    {
        var victim = folder.Write("precious.txt", "keep me", outside: true);
        var target = Directory.CreateDirectory(Path.Combine(folder.Root, "out")).FullName;
        File.CreateSymbolicLink(Path.Combine(target, "adversarial.png"), victim);

        var written = folder.Gate.WriteFile(folder.Gate.ResolveOutputFolder("out", target), "adversarial.png", [9]);

        Assert.Equal("keep me", File.ReadAllText(victim));
        Assert.Null(new FileInfo(written).LinkTarget);
        Assert.Equal([9], File.ReadAllBytes(written));
    }

    [Theory]
    [InlineData("/tmp/graddescent-anywhere")]
    [InlineData("/etc/cron.d")]
    public void ResolveOutputFolder_OutsideTheRoots_Refused(string path) =>
        Assert.Contains(
            "is outside the folders file parameters may use",
            Assert.Throws<ParameterException>(() => folder.Gate.ResolveOutputFolder("out", path)).Message,
            StringComparison.Ordinal);

    [Fact]
    public void ResolveOutputFolder_ThroughASymlinkedFolderOut_Refused()
    {
        folder.Link("escape", folder.Outside);

        var error = Assert.Throws<ParameterException>(() => folder.Gate.ResolveOutputFolder("out", Path.Combine(folder.Root, "escape", "new", "deeper")));

        Assert.Contains("is outside the folders file parameters may use", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder.Outside, "new")));
    }

    [Fact]
    public void ResolveOutputFolder_AnExistingFile_RefusedAsNotAFolder()
    {
        var path = folder.Write("file.txt", "x");

        Assert.EndsWith("is a file, not a folder", Assert.Throws<ParameterException>(() => folder.Gate.ResolveOutputFolder("out", path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ByPathUse_ChecksInputsAsFilesAndOutputsAsFolders()
    {
        var outFolder = Path.Combine(folder.Root, "not-yet");
        var out_ = new ParameterDefinition { Name = "out", Kind = ParameterKind.Path, PathUse = PathUse.WriteFolder, Description = "out" };
        var data = new ParameterDefinition { Name = "data", Kind = ParameterKind.Path, Description = "data" };

        folder.Gate.Check(out_, outFolder);

        Assert.False(Directory.Exists(outFolder));
        Assert.EndsWith(": file not found", Assert.Throws<ParameterException>(() => folder.Gate.Check(data, outFolder)).Message, StringComparison.Ordinal);
    }
}
