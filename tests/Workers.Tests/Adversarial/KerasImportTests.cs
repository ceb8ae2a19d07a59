using GradDescent.Workers.Experiments.Adversarial.Victim;
using PureHDF;
using TorchSharp;
using Xunit;

namespace GradDescent.Workers.Tests.Adversarial;

[Collection(SmallVictimCollection.Name)]
public sealed class KerasImportTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("graddescent-keras-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Import_KerasDefaultLayerNames_MatchesKerasSemanticsForward()
    {
        var reference = new KerasReferenceForward(imageSize: 32, baseWidth: 2, seed: 5);
        string[] names =
        [
            "conv2d", "batch_normalization", "max_pooling2d", "dropout",
            "conv2d_1", "batch_normalization_1", "max_pooling2d_1", "dropout_1",
            "conv2d_2", "batch_normalization_2", "max_pooling2d_2", "dropout_2",
            "flatten", "dense", "batch_normalization_3", "dropout_3", "dense_1",
        ];
        var path = Path.Combine(folder, "model.h5");
        Write(reference, names, path, withLayerNamesAttribute: false, modelConfig: null);

        using var model = VictimModel.Load(path);

        Assert.Equal(new VictimArchitecture(32, 2), model.Architecture);
        AssertSameLogits(reference, model);
    }

    [Fact]
    public void Import_LayerNamesAttributeAndModelConfig_UsesTheirOrderAndInputSize()
    {
        var reference = new KerasReferenceForward(imageSize: 33, baseWidth: 2, seed: 9);
        string[] names =
        [
            "z_conv", "z_norm", "pool_a", "y_conv", "y_norm", "pool_b", "x_conv", "x_norm", "pool_c",
            "flat", "w_dense", "w_norm", "v_dense",
        ];
        var path = Path.Combine(folder, "ordered.h5");
        Write(reference, names, path, withLayerNamesAttribute: true,
            modelConfig: """{"class_name": "Sequential", "config": {"layers": [{"class_name": "Conv2D", "config": {"batch_input_shape": [null, 33, 33, 3]}}]}}""");

        using var model = VictimModel.Load(path);

        Assert.Equal(new VictimArchitecture(33, 2), model.Architecture);
        AssertSameLogits(reference, model);
    }

    private static void AssertSameLogits(KerasReferenceForward reference, VictimModel model)
    {
        using var scope = torch.NewDisposeScope();
        torch.random.manual_seed(17);
        var size = reference.ImageSize;
        var images = torch.rand(3, 3, size, size);
        using var noGrad = torch.no_grad();
        model.Network.eval();
        var logits = model.Network.call(images).data<float>().ToArray();
        for (var b = 0; b < 3; b++)
        {
            var expected = reference.Logits(images[b].data<float>().ToArray());
            for (var k = 0; k < 2; k++)
            {
                Assert.True(Math.Abs(expected[k] - logits[(b * 2) + k]) <= 1e-4 * (1 + Math.Abs(expected[k])),
                    $"image {b} logit {k}: Keras-semantics forward {expected[k]}, imported model {logits[(b * 2) + k]}");
            }
        }
    }

    /// <summary>
    /// Writes the weights as Keras does: <c>model_weights/&lt;layer&gt;/&lt;layer&gt;/&lt;weight&gt;:0</c>.
    /// <paramref name="names"/> lists the layers in network order (conv, norm, pool[, dropout]) × 3, flatten, dense, norm[, dropout], dense.
    /// </summary>
    private static void Write(KerasReferenceForward reference, string[] names, string path, bool withLayerNamesAttribute, string? modelConfig)
    {
        var weights = new H5Group();
        int conv = 0, norm = 0, dense = 0;
        foreach (var name in names)
        {
            var inner = new H5Group();
            if (name.Contains("conv", StringComparison.Ordinal))
            {
                inner["kernel:0"] = new H5Dataset(reference.ConvKernels[conv], fileDims: reference.ConvShapes[conv]);
                inner["bias:0"] = new H5Dataset(reference.ConvBiases[conv]);
                conv++;
            }
            else if (name.Contains("norm", StringComparison.Ordinal))
            {
                var values = reference.Norms[norm++];
                inner["gamma:0"] = new H5Dataset(values[0]);
                inner["beta:0"] = new H5Dataset(values[1]);
                inner["moving_mean:0"] = new H5Dataset(values[2]);
                inner["moving_variance:0"] = new H5Dataset(values[3]);
            }
            else if (name.Contains("dense", StringComparison.Ordinal))
            {
                var (kernel, bias, inputs, outputs) = dense++ == 0
                    ? (reference.Dense1, reference.Dense1Bias, reference.Flattened, reference.Units)
                    : (reference.Dense2, reference.Dense2Bias, reference.Units, 2);
                inner["kernel:0"] = new H5Dataset(kernel, fileDims: [(ulong)inputs, (ulong)outputs]);
                inner["bias:0"] = new H5Dataset(bias);
            }

            weights[name] = inner.Count == 0 ? new H5Group() : new H5Group { [name] = inner };
        }

        if (withLayerNamesAttribute)
        {
            weights.Attributes["layer_names"] = names;
        }

        var file = new H5File { ["model_weights"] = weights };
        if (modelConfig is not null)
        {
            file.Attributes["model_config"] = modelConfig;
        }

        file.Write(path);
    }
}
