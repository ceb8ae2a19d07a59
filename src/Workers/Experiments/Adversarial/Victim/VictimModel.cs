using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>
/// A victim network with its shape and a one-line description of where it came from. Saved as one
/// file: a small header (magic, architecture, description) followed by TorchSharp's module state.
/// <see cref="Load"/> also reads Keras HDF5 weights of the article's architecture.
/// </summary>
public sealed partial class VictimModel : IDisposable
{
    private static readonly byte[] Magic = "GDVICTIM"u8.ToArray();
    private static readonly byte[] Hdf5Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];
    private const int FormatVersion = 1;

    public VictimModel(VictimNetwork network, string description)
    {
        Network = network;
        Description = description;
    }

    public VictimNetwork Network { get; }

    public VictimArchitecture Architecture => Network.Architecture;

    /// <summary>Where the weights came from, e.g. "trained on /data/train (2000 images)".</summary>
    public string Description { get; }

    /// <summary>Writes the model to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public void Save(string path)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = $"{fullPath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = File.Create(temporary))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                var header = new Header(Architecture.ImageSize, Architecture.BaseWidth, Description);
                writer.Write(JsonSerializer.Serialize(header, HeaderJson.Default.Header));
                Network.save(writer);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Loads a saved GradDescent victim or Keras HDF5 weights (by the file's signature).</summary>
    /// <exception cref="InvalidDataException">The file is neither, or its contents do not fit the architecture.</exception>
    public static VictimModel Load(string path, Device? device = null)
    {
        var fullPath = Path.GetFullPath(path);
        var signature = new byte[8];
        using (var probe = File.OpenRead(fullPath))
        {
            probe.ReadExactly(signature);
        }

        VictimModel model;
        if (signature.AsSpan().SequenceEqual(Hdf5Signature))
        {
            model = KerasWeightsImporter.Import(fullPath);
        }
        else if (signature.AsSpan().SequenceEqual(Magic))
        {
            model = LoadNative(fullPath);
        }
        else
        {
            throw new InvalidDataException($"'{fullPath}' is neither a saved GradDescent victim nor a Keras HDF5 file");
        }

        if (device is not null && device.type != DeviceType.CPU)
        {
            model.Network.to(device);
        }

        return model;
    }

    /// <summary>Softmax outputs [B, 2] = [p_cat, p_dog] in eval mode, without gradients.</summary>
    public Tensor Probabilities(Tensor images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Network.eval();
        return nn.functional.softmax(Network.call(images), 1).MoveToOuterDisposeScope();
    }

    public void Dispose() => Network.Dispose();

    private static VictimModel LoadNative(string fullPath)
    {
        using var stream = File.OpenRead(fullPath);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        reader.ReadBytes(Magic.Length);
        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"'{fullPath}' is a GradDescent victim of format {version}; this build reads format {FormatVersion}");
        }

        var header = JsonSerializer.Deserialize(reader.ReadString(), HeaderJson.Default.Header)
            ?? throw new InvalidDataException($"'{fullPath}' has an empty header");
        var network = new VictimNetwork(new VictimArchitecture(header.ImageSize, header.BaseWidth));
        try
        {
            network.load(reader);
        }
        catch (ArgumentException e)
        {
            network.Dispose();
            throw new InvalidDataException($"'{fullPath}': weights do not fit a {network.Architecture} network: {e.Message}", e);
        }

        network.eval();
        return new VictimModel(network, header.Description);
    }

    internal sealed record Header(
        [property: JsonPropertyName("image_size")] int ImageSize,
        [property: JsonPropertyName("base_width")] int BaseWidth,
        [property: JsonPropertyName("description")] string Description);

    [JsonSerializable(typeof(Header))]
    internal sealed partial class HeaderJson : JsonSerializerContext;
}
