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
        using var stream = File.OpenRead(fullPath);
        return Load(stream, fullPath, device);
    }

    /// <summary>Loads a victim from a seekable stream holding a model file; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The content is neither kind of model, or does not fit the architecture.</exception>
    public static VictimModel Load(Stream stream, string name, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var signature = new byte[8];
        if (stream.ReadAtLeast(signature, signature.Length, throwOnEndOfStream: false) < signature.Length)
        {
            throw new InvalidDataException($"'{name}' is too short to be a model file");
        }

        stream.Position = 0;
        VictimModel model;
        if (signature.AsSpan().SequenceEqual(Hdf5Signature))
        {
            model = KerasWeightsImporter.Import(stream, name);
        }
        else if (signature.AsSpan().SequenceEqual(Magic))
        {
            model = LoadNative(stream, name);
        }
        else
        {
            throw new InvalidDataException($"'{name}' is neither a saved GradDescent victim nor a Keras HDF5 file");
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

    private static VictimModel LoadNative(Stream stream, string name)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        reader.ReadBytes(Magic.Length);
        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"'{name}' is a GradDescent victim of another format; this build reads format {FormatVersion}");
        }

        Header header;
        try
        {
            header = JsonSerializer.Deserialize(reader.ReadString(), HeaderJson.Default.Header)
                ?? throw new InvalidDataException($"'{name}' has an empty header");
            _ = new VictimArchitecture(header.ImageSize, header.BaseWidth);
        }
        catch (Exception e) when (e is JsonException or EndOfStreamException or ArgumentException)
        {
            throw new InvalidDataException($"'{name}' has an unreadable header (expected the header of a saved GradDescent victim)", e);
        }

        // The network is allocated before its weights are read: a header must not declare more weights than the file holds.
        if (header.ImageSize > MaxDeclaredSize || header.BaseWidth > MaxDeclaredSize
            || 4 * DeclaredWeights(header.ImageSize, header.BaseWidth) > stream.Length)
        {
            throw new InvalidDataException($"'{name}' declares a larger network than the file holds");
        }

        var network = new VictimNetwork(new VictimArchitecture(header.ImageSize, header.BaseWidth));
        try
        {
            network.load(reader);
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or IOException)
        {
            network.Dispose();
            throw new InvalidDataException($"'{name}': weights do not fit a {network.Architecture} network", e);
        }

        network.eval();
        return new VictimModel(network, header.Description);
    }

    /// <summary>Largest image size or base width a saved header may declare.</summary>
    private const int MaxDeclaredSize = 4096;

    /// <summary>Convolution and dense weights of a network of this size (an underestimate of its parameters).</summary>
    private static long DeclaredWeights(int imageSize, int baseWidth)
    {
        long features = VictimArchitecture.FeatureSizeOf(imageSize);
        long width = baseWidth;
        return (features * features * 4 * width * 16 * width) + (9 * ((3 * width) + (2 * width * width) + (8 * width * width)));
    }

    internal sealed record Header(
        [property: JsonPropertyName("image_size")] int ImageSize,
        [property: JsonPropertyName("base_width")] int BaseWidth,
        [property: JsonPropertyName("description")] string Description);

    [JsonSerializable(typeof(Header))]
    internal sealed partial class HeaderJson : JsonSerializerContext;
}
