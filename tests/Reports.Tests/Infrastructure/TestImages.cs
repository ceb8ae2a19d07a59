using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GradDescent.Reports.Tests.Infrastructure;

/// <summary>Small deterministic PNGs standing in for the adversarial experiment's images.</summary>
public static class TestImages
{
    /// <summary>A <paramref name="size"/>² gradient image; <paramref name="change"/> shifts every 7th pixel's red channel (an "attack").</summary>
    public static byte[] Png(int size, int seed, int change = 0)
    {
        using var image = new Image<Rgba32>(size, size);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var red = (byte)Math.Clamp(((x * 255) / size) + ((x + y) % 7 == 0 ? change : 0), 0, 255);
                image[x, y] = new Rgba32(red, (byte)((y * 255) / size), (byte)((seed * 40) % 256));
            }
        }

        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
