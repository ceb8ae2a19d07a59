using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Files;
using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments.Adversarial;
using GradDescent.Workers.Experiments.LinearRegression;
using Xunit;

namespace GradDescent.Workers.Tests.FileAccess;

/// <summary>The experiments read and write files only through their gate, and their errors never quote a file.</summary>
public sealed class ConfinedExperimentTests : IDisposable
{
    private readonly GateFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("/etc/shadow")]
    [InlineData("/etc/passwd")]
    [InlineData("/proc/self/environ")]
    [InlineData("/dev/zero")]
    public void LinearRegressionValidate_DataOutsideTheRoots_RefusedBeforeReading(string path)
    {
        var experiment = new LinearRegressionExperiment(folder.Gate);

        var error = Assert.Throws<ParameterException>(() => experiment.Validate(Bind(LinearRegressionDefinition.Instance, ("data", path))));

        Assert.Equal($"parameter 'data': '{path}' is outside the folders file parameters may use ({folder.Root})", error.Message);
    }

    [Fact]
    public void LinearRegressionValidate_ProcessEnvironmentUnderARootOfSlash_ErrorQuotesNothingOfIt()
    {
        var experiment = new LinearRegressionExperiment(new FileGate(new FileAccessOptions { Roots = ["/"] }));
        Environment.SetEnvironmentVariable("GD_TEST_SECRET", "hunter2-do-not-print");

        var error = Assert.Throws<ParameterException>(() => experiment.Validate(Bind(LinearRegressionDefinition.Instance, ("data", "/proc/self/environ"))));

        Assert.Equal("data", error.Parameter);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PATH=", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinearRegressionValidate_NoGate_EveryDataFileRefused()
    {
        var path = folder.Write("data.csv", "Height,Weight\n1,2\n3,4\n");

        var error = Assert.Throws<ParameterException>(() => new LinearRegressionExperiment().Validate(Bind(LinearRegressionDefinition.Instance, ("data", path))));

        Assert.Contains("file parameters are disabled here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinearRegressionValidate_FifoInsideTheRoot_RefusedWithoutBlocking()
    {
        var fifo = folder.Fifo("data.csv");
        var experiment = new LinearRegressionExperiment(folder.Gate);

        var error = Assert.Throws<ParameterException>(() => experiment.Validate(Bind(LinearRegressionDefinition.Instance, ("data", fifo))));

        Assert.EndsWith("is not a regular file (a device, FIFO or socket)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image", "/etc/passwd")]
    [InlineData("model", "/var/lib/postgresql/.pgpass")]
    [InlineData("out", "/tmp/graddescent-out-anywhere")]
    public void AdversarialValidate_FileParameterOutsideTheRoots_Refused(string parameter, string path)
    {
        var experiment = new AdversarialExperiment(files: folder.Gate);

        var error = Assert.Throws<ParameterException>(() => experiment.Validate(Bind(AdversarialDefinition.Instance, (parameter, path))));

        Assert.Equal($"parameter '{parameter}': '{path}' is outside the folders file parameters may use ({folder.Root})", error.Message);
        Assert.False(Directory.Exists("/tmp/graddescent-out-anywhere"));
    }

    [Fact]
    public void AdversarialValidate_ModelThatIsNotAModel_SaysWhatWasExpectedNotWhatWasFound()
    {
        var path = folder.Write("model.h5", "root:*:20228:0:99999:7:::\n");
        var experiment = new AdversarialExperiment(files: folder.Gate);

        var error = Assert.Throws<ParameterException>(() => experiment.Validate(Bind(AdversarialDefinition.Instance, ("model", path))));

        Assert.Equal($"parameter 'model': '{path}' is neither a saved GradDescent victim nor a Keras HDF5 file", error.Message);
    }

    [Fact]
    public void AdversarialValidate_SavedModelHeaderDeclaringAHugeNetwork_RefusedBeforeAllocatingIt()
    {
        var path = Path.Combine(folder.Root, "huge.victim");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write("GDVICTIM"u8);
            writer.Write(1);
            writer.Write("""{"image_size": 4096, "base_width": 4096, "description": "x"}""");
        }

        var error = Assert.Throws<ParameterException>(
            () => new AdversarialExperiment(files: folder.Gate).Validate(Bind(AdversarialDefinition.Instance, ("model", path))));

        Assert.Equal($"parameter 'model': '{path}' declares a larger network than the file holds", error.Message);
    }

    private static ParameterSet Bind(ExperimentDefinition definition, params (string Name, string Value)[] values) =>
        definition.Bind(values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value)));
}
