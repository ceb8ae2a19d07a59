using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PureHDF;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>
/// Reads Keras HDF5 weights of the article's network (<c>model.save('model.h5')</c> or
/// <c>save_weights</c>): <c>[model_weights/]&lt;layer&gt;/&lt;layer&gt;/kernel:0</c>, <c>bias:0</c> and
/// BatchNorm <c>gamma:0 beta:0 moving_mean:0 moving_variance:0</c>. Conv kernels are HWIO (→ torch
/// OIHW), dense kernels [in, out] (→ [out, in]); the first dense layer's rows are permuted from Keras'
/// NHWC flatten order (h, w, c) to torch's (c, h, w).
/// </summary>
public static class KerasWeightsImporter
{
    /// <exception cref="InvalidDataException">The file does not hold this architecture's weights.</exception>
    public static VictimModel Import(string path)
    {
        var fullPath = Path.GetFullPath(path);
        using var stream = File.OpenRead(fullPath);
        return Import(stream, fullPath);
    }

    /// <summary>Imports from a seekable stream holding the HDF5 file; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The content does not hold this architecture's weights.</exception>
    public static VictimModel Import(Stream stream, string name)
    {
        var fullPath = name;
        using var file = H5File.Open(stream, leaveOpen: true);
        var weightsRoot = file.LinkExists("model_weights") ? file.Group("model_weights") : file;
        // Datasets may declare more elements than the file stores (fill values): read at most what the file could hold.
        var budget = new ElementBudget(stream.Length);
        var layers = OrderedLayers(weightsRoot).Select(g => ReadLayer(g, budget)).Where(l => l.Weights.Count > 0).ToList();
        var convs = layers.Where(l => l.Weights.TryGetValue("kernel", out var k) && k.Dims.Length == 4).ToList();
        var denses = layers.Where(l => l.Weights.TryGetValue("kernel", out var k) && k.Dims.Length == 2).ToList();
        var norms = layers.Where(l => l.Weights.ContainsKey("moving_mean")).ToList();
        if (convs.Count != 3 || denses.Count != 2 || norms.Count != 4)
        {
            throw new InvalidDataException(
                $"'{fullPath}': expected 3 Conv2D, 4 BatchNormalization and 2 Dense layers, found {convs.Count}, {norms.Count} and {denses.Count}");
        }

        var baseWidth = checked((int)convs[0].Weights["kernel"].Dims[3]);
        var denseInputs = denses[0].Weights["kernel"].Dims[0];
        var featureArea = denseInputs / (4 * baseWidth);
        var featureSize = (int)Math.Round(Math.Sqrt(featureArea));
        if (featureSize * featureSize * 4L * baseWidth != denseInputs)
        {
            throw new InvalidDataException($"'{fullPath}': the first Dense layer's {denseInputs} inputs are not a square feature map of {4 * baseWidth} channels");
        }

        var imageSize = InputSizeFromConfig(file) ?? VictimArchitecture.InferImageSize(featureSize);
        var architecture = new VictimArchitecture(imageSize, baseWidth);
        var network = new VictimNetwork(architecture);
        try
        {
            var state = network.state_dict();
            using var noGrad = no_grad();
            for (var i = 0; i < 3; i++)
            {
                Copy(state, $"conv{i + 1}.weight", convs[i], "kernel", k => k.permute(3, 2, 0, 1));
                Copy(state, $"conv{i + 1}.bias", convs[i], "bias", b => b);
            }

            for (var i = 0; i < 4; i++)
            {
                Copy(state, $"bn{i + 1}.weight", norms[i], "gamma", t => t);
                Copy(state, $"bn{i + 1}.bias", norms[i], "beta", t => t);
                Copy(state, $"bn{i + 1}.running_mean", norms[i], "moving_mean", t => t);
                Copy(state, $"bn{i + 1}.running_var", norms[i], "moving_variance", t => t);
            }

            var channels = 4L * baseWidth;
            Copy(state, "dense1.weight", denses[0], "kernel",
                k => k.view(featureSize, featureSize, channels, -1).permute(3, 2, 0, 1).reshape(-1, denseInputs));
            Copy(state, "dense1.bias", denses[0], "bias", b => b);
            Copy(state, "dense2.weight", denses[1], "kernel", k => k.t());
            Copy(state, "dense2.bias", denses[1], "bias", b => b);
        }
        catch
        {
            network.Dispose();
            throw;
        }

        network.eval();
        return new VictimModel(network, $"Keras HDF5 weights {fullPath} ({architecture})");
    }

    private static IEnumerable<IH5Group> OrderedLayers(IH5Group root)
    {
        var groups = root.Children().OfType<IH5Group>().ToDictionary(g => g.Name, StringComparer.Ordinal);
        if (root.AttributeExists("layer_names"))
        {
            var names = root.Attribute("layer_names").Read<string[]>();
            return names.Where(groups.ContainsKey).Select(n => groups[n]);
        }

        return groups.Values.OrderBy(g => LayerKind(g.Name), StringComparer.Ordinal).ThenBy(g => LayerNumber(g.Name));
    }

    private static string LayerKind(string name)
    {
        var underscore = name.LastIndexOf('_');
        return underscore > 0 && int.TryParse(name.AsSpan(underscore + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? name[..underscore]
            : name;
    }

    private static int LayerNumber(string name)
    {
        var underscore = name.LastIndexOf('_');
        return underscore > 0 && int.TryParse(name.AsSpan(underscore + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : 0;
    }

    private static Layer ReadLayer(IH5Group group, ElementBudget budget)
    {
        var weights = new Dictionary<string, Weight>(StringComparer.Ordinal);
        Collect(group, weights, budget, depth: 0);
        return new Layer(group.Name, weights);
    }

    /// <summary>A layer's datasets, however its groups nest (Keras nests them once or twice; a cycle of links ends at the depth limit).</summary>
    private static void Collect(IH5Group group, Dictionary<string, Weight> weights, ElementBudget budget, int depth)
    {
        if (depth > MaxGroupDepth)
        {
            throw new InvalidDataException("the file's layer groups nest deeper than Keras weights do");
        }

        foreach (var child in group.Children())
        {
            switch (child)
            {
                case IH5Group inner:
                    Collect(inner, weights, budget, depth + 1);
                    break;
                case IH5Dataset dataset:
                    var key = dataset.Name.Split(':')[0];
                    var dims = dataset.Space.Dimensions.Select(d => d <= long.MaxValue ? (long)d : long.MaxValue).ToArray();
                    budget.Take(dims.Aggregate(1L, (product, d) => d != 0 && product > long.MaxValue / d ? long.MaxValue : product * d));
                    weights[key] = new Weight(dims, dataset.Read<float[]>());
                    break;
            }
        }
    }

    private const int MaxGroupDepth = 8;

    /// <summary>Float elements still allowed: one per byte of the file (float32 weights take four).</summary>
    private sealed class ElementBudget(long elements)
    {
        public void Take(long count)
        {
            if (count > elements)
            {
                throw new InvalidDataException("the file's datasets declare more weights than the file holds");
            }

            elements -= count;
        }
    }

    private static void Copy(Dictionary<string, Tensor> state, string torchName, Layer layer, string kerasName, Func<Tensor, Tensor> convert)
    {
        if (!layer.Weights.TryGetValue(kerasName, out var weight))
        {
            throw new InvalidDataException($"a Keras layer has no '{kerasName}:0' weight (expected {torchName}'s)");
        }

        using var scope = NewDisposeScope();
        var target = state[torchName];
        var value = convert(tensor(weight.Values, weight.Dims));
        if (!value.shape.SequenceEqual(target.shape))
        {
            throw new InvalidDataException(
                $"a Keras layer's '{kerasName}:0' weight does not fit {torchName} (expected shape [{string.Join(", ", target.shape)}])");
        }

        target.copy_(value);
    }

    /// <summary>The input size from the full-model file's <c>model_config</c> JSON, when present.</summary>
    private static int? InputSizeFromConfig(IH5Object file)
    {
        if (!file.AttributeExists("model_config"))
        {
            return null;
        }

        JsonNode? config;
        try
        {
            config = JsonNode.Parse(file.Attribute("model_config").Read<string>());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("the file's model_config is not valid JSON", e);
        }

        return FindInputShape(config) is { Count: 4 } shape && shape[1]?.GetValue<int>() is { } size ? size : null;
    }

    private static JsonArray? FindInputShape(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if ((key == "batch_input_shape" || key == "batch_shape") && value is JsonArray array)
                    {
                        return array;
                    }

                    if (FindInputShape(value) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonArray items:
                return items.Select(FindInputShape).FirstOrDefault(found => found is not null);
            default:
                return null;
        }
    }

    private sealed record Weight(long[] Dims, float[] Values);

    private sealed record Layer(string Name, IReadOnlyDictionary<string, Weight> Weights);
}
