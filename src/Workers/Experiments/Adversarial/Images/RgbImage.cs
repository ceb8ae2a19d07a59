using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.Adversarial.Images;

/// <summary>An 8-bit RGB image, pixels row-major with interleaved channels (R, G, B per pixel).</summary>
public sealed record RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (pixels.Length != width * height * 3)
        {
            throw new ArgumentException($"expected {width * height * 3} bytes for {width}×{height} RGB, got {pixels.Length}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    /// <summary>Channel values 0..255 as float32 [3, H, W] (the attack works in these units).</summary>
    public Tensor ToLevels()
    {
        var planar = new float[Pixels.Length];
        var area = Width * Height;
        for (var p = 0; p < area; p++)
        {
            planar[p] = Pixels[3 * p];
            planar[area + p] = Pixels[(3 * p) + 1];
            planar[(2 * area) + p] = Pixels[(3 * p) + 2];
        }

        // Copied into tensor-owned memory rather than wrapping the managed array.
        var levels = empty([3, Height, Width], ScalarType.Float32);
        levels.data<float>().CopyFrom(planar);
        return levels;
    }

    /// <summary>Rounds channel levels [3, H, W] (0..255, clipped) to an 8-bit image.</summary>
    public static RgbImage FromLevels(Tensor levels)
    {
        var height = (int)levels.shape[1];
        var width = (int)levels.shape[2];
        using var rounded = levels.detach().cpu().clamp(ImageScalars.Zero, ImageScalars.MaxLevel).round();
        var planar = rounded.data<float>().ToArray();
        var area = width * height;
        var pixels = new byte[planar.Length];
        for (var p = 0; p < area; p++)
        {
            pixels[3 * p] = (byte)planar[p];
            pixels[(3 * p) + 1] = (byte)planar[area + p];
            pixels[(3 * p) + 2] = (byte)planar[(2 * area) + p];
        }

        return new RgbImage(width, height, pixels);
    }
}
