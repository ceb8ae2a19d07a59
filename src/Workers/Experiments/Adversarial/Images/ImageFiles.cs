using System.Globalization;
using SkiaSharp;

namespace GradDescent.Workers.Experiments.Adversarial.Images;

/// <summary>Decodes (JPEG, PNG, WebP...), resizes and encodes images with SkiaSharp.</summary>
public static class ImageFiles
{
    /// <summary>Decodes <paramref name="path"/> and resizes it to <paramref name="size"/>×<paramref name="size"/> RGB.</summary>
    /// <exception cref="InvalidDataException">The file is missing or not a decodable image; the message names it.</exception>
    public static RgbImage Load(string path, int size)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new InvalidDataException($"image file '{fullPath}' does not exist");
        }

        return Decode(File.ReadAllBytes(fullPath), fullPath, size);
    }

    /// <summary>Decodes an image file's content and resizes it to <paramref name="size"/>×<paramref name="size"/> RGB.</summary>
    /// <param name="content">The encoded image (JPEG, PNG, WebP, GIF or BMP).</param>
    /// <param name="name">Names the image in errors.</param>
    /// <param name="size">Width and height of the result.</param>
    /// <exception cref="InvalidDataException">The content is not a decodable image; the message names it.</exception>
    public static RgbImage Decode(byte[] content, string name, int size)
    {
        using var data = SKData.CreateCopy(content);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"'{name}' is not a readable image (JPEG, PNG, WebP, GIF or BMP)");
        var info = codec.Info.WithColorType(SKColorType.Rgba8888).WithAlphaType(SKAlphaType.Unpremul);
        if ((long)info.Width * info.Height > MaxPixels)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{name}' is {info.Width}×{info.Height} pixels, more than the {MaxPixels:N0} an image may have"));
        }

        using var decoded = SKBitmap.Decode(codec, info)
            ?? throw new InvalidDataException($"'{name}' could not be decoded as an image");
        return Resize(decoded, size);
    }

    /// <summary>Most pixels an image may declare: a small file can claim a huge canvas (a decompression bomb).</summary>
    public const long MaxPixels = 64L * 1024 * 1024;

    /// <summary>Resizes a decoded bitmap to a square RGB image (bilinear with mipmaps; alpha is dropped).</summary>
    public static RgbImage Resize(SKBitmap bitmap, int size)
    {
        var target = new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var resized = bitmap.Width == size && bitmap.Height == size && bitmap.ColorType == SKColorType.Rgba8888
            ? bitmap.Copy()
            : bitmap.Resize(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        return FromRgba(resized.Bytes, size, size);
    }

    /// <summary>Writes the image as PNG (lossless, so the file holds exactly these 8-bit values).</summary>
    public static void SavePng(RgbImage image, string path)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        File.WriteAllBytes(fullPath, EncodePng(image));
    }

    /// <summary>The image encoded as PNG.</summary>
    public static byte[] EncodePng(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rgba = new byte[image.Width * image.Height * 4];
        for (var p = 0; p < image.Width * image.Height; p++)
        {
            rgba[4 * p] = image.Pixels[3 * p];
            rgba[(4 * p) + 1] = image.Pixels[(3 * p) + 1];
            rgba[(4 * p) + 2] = image.Pixels[(3 * p) + 2];
            rgba[(4 * p) + 3] = 255;
        }

        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var data = SKData.CreateCopy(rgba);
        using var skImage = SKImage.FromPixels(info, data, info.RowBytes)
            ?? throw new InvalidOperationException("SkiaSharp could not wrap the pixels");
        using var png = skImage.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    internal static RgbImage FromRgba(ReadOnlySpan<byte> rgba, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var p = 0; p < width * height; p++)
        {
            pixels[3 * p] = rgba[4 * p];
            pixels[(3 * p) + 1] = rgba[(4 * p) + 1];
            pixels[(3 * p) + 2] = rgba[(4 * p) + 2];
        }

        return new RgbImage(width, height, pixels);
    }
}
