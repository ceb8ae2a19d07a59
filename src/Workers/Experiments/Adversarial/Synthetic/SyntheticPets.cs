using GradDescent.Workers.Experiments.Adversarial.Images;
using SkiaSharp;

namespace GradDescent.Workers.Experiments.Adversarial.Synthetic;

/// <summary>
/// Procedurally drawn two-class "pet faces", deterministic from a seed. Both classes share the
/// background, pose and noise distributions and partly overlapping fur colours; they differ in shape:
/// a cat is a round face with pointed triangular ears, stripes, almond eyes and whiskers; a dog is a
/// taller face with long floppy ears hanging at the sides, a big dark nose, a muzzle and spots.
/// This is a stand-in for the article's photo classifier, not a real photo classifier.
/// </summary>
public static class SyntheticPets
{
    /// <summary>Bump when the drawing changes, so cached victims trained on old drawings are retrained.</summary>
    public const int RecipeVersion = 1;

    public static RgbImage Draw(PetClass pet, int seed, int size)
    {
        var random = new Random(MixSeed(MixSeed(seed, (int)pet), 0x5eed));
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            DrawBackground(canvas, random, size);
            canvas.Save();
            var scale = size * (0.30f + (0.12f * random.NextSingle()));
            canvas.Translate(size * (0.4f + (0.2f * random.NextSingle())), size * (0.42f + (0.2f * random.NextSingle())));
            canvas.RotateDegrees(-15 + (30 * random.NextSingle()));
            canvas.Scale(scale);
            if (pet == PetClass.Cat)
            {
                DrawCat(canvas, random);
            }
            else
            {
                DrawDog(canvas, random);
            }

            canvas.Restore();
            DrawNoise(canvas, random, size);
        }

        return ImageFiles.FromRgba(bitmap.Bytes, size, size);
    }

    /// <summary><paramref name="count"/> images alternating cat, dog, cat... with seeds derived from <paramref name="seed"/>.</summary>
    public static IReadOnlyList<(RgbImage Image, PetClass Label)> Dataset(int count, int size, int seed)
    {
        var items = new (RgbImage, PetClass)[count];
        for (var i = 0; i < count; i++)
        {
            var label = i % 2 == 0 ? PetClass.Cat : PetClass.Dog;
            items[i] = (Draw(label, MixSeed(seed, i), size), label);
        }

        return items;
    }

    /// <summary>Deterministic seed mixing (unlike <see cref="HashCode"/>, the same in every process).</summary>
    public static int MixSeed(int seed, int salt)
    {
        var z = ((ulong)(uint)seed << 32) | (uint)salt;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }

    private static void DrawBackground(SKCanvas canvas, Random random, int size)
    {
        canvas.Clear(RandomColor(random, 60, 230));
        using var paint = new SKPaint { IsAntialias = true, Color = RandomColor(random, 60, 230) };
        for (var i = 0; i < 3; i++)
        {
            var x = random.NextSingle() * size;
            canvas.DrawRect(x, 0, size * (0.05f + (0.15f * random.NextSingle())), size, paint);
        }
    }

    private static void DrawCat(SKCanvas canvas, Random random)
    {
        var fur = Jitter(random, random.Next(3) switch { 0 => new SKColor(150, 150, 155), 1 => new SKColor(215, 130, 60), _ => new SKColor(70, 65, 65) });
        using var paint = new SKPaint { IsAntialias = true, Color = fur };
        var earHeight = 0.75f + (0.25f * random.NextSingle());
        foreach (var side in new[] { -1f, 1f })
        {
            using var ear = new SKPath();
            ear.MoveTo(side * 0.85f, -0.35f);
            ear.LineTo(side * 0.65f, -0.6f - earHeight);
            ear.LineTo(side * 0.2f, -0.8f);
            ear.Close();
            canvas.DrawPath(ear, paint);
        }

        canvas.DrawCircle(0, 0, 0.95f, paint);
        using var stripe = new SKPaint { IsAntialias = true, Color = Darker(fur, 0.55f), StrokeWidth = 0.09f, Style = SKPaintStyle.Stroke };
        for (var i = -1; i <= 1; i++)
        {
            canvas.DrawLine(i * 0.22f, -0.9f, i * 0.17f, -0.5f, stripe);
        }

        canvas.DrawLine(-0.95f, 0.05f, -0.6f, 0.1f, stripe);
        canvas.DrawLine(0.95f, 0.05f, 0.6f, 0.1f, stripe);
        using var eye = new SKPaint { IsAntialias = true, Color = Jitter(random, new SKColor(150, 200, 60)) };
        using var pupil = new SKPaint { IsAntialias = true, Color = SKColors.Black };
        foreach (var side in new[] { -1f, 1f })
        {
            canvas.DrawOval(side * 0.38f, -0.15f, 0.2f, 0.11f, eye);
            canvas.DrawOval(side * 0.38f, -0.15f, 0.04f, 0.1f, pupil);
        }

        using var nose = new SKPaint { IsAntialias = true, Color = new SKColor(230, 140, 150) };
        using var nosePath = new SKPath();
        nosePath.MoveTo(-0.1f, 0.18f);
        nosePath.LineTo(0.1f, 0.18f);
        nosePath.LineTo(0, 0.3f);
        nosePath.Close();
        canvas.DrawPath(nosePath, nose);
        using var whisker = new SKPaint { IsAntialias = true, Color = SKColors.WhiteSmoke, StrokeWidth = 0.025f, Style = SKPaintStyle.Stroke };
        foreach (var side in new[] { -1f, 1f })
        {
            for (var i = 0; i < 3; i++)
            {
                canvas.DrawLine(side * 0.15f, 0.3f + (0.06f * i), side * 1.1f, 0.2f + (0.14f * i), whisker);
            }
        }
    }

    private static void DrawDog(SKCanvas canvas, Random random)
    {
        var fur = Jitter(random, random.Next(3) switch { 0 => new SKColor(140, 90, 45), 1 => new SKColor(205, 160, 95), _ => new SKColor(95, 80, 70) });
        using var paint = new SKPaint { IsAntialias = true, Color = fur };
        canvas.DrawOval(0, 0.05f, 0.78f, 1.0f, paint);
        using var earPaint = new SKPaint { IsAntialias = true, Color = Darker(fur, 0.7f) };
        var earLength = 0.55f + (0.25f * random.NextSingle());
        foreach (var side in new[] { -1f, 1f })
        {
            canvas.Save();
            canvas.Translate(side * 0.8f, -0.2f + earLength);
            canvas.RotateDegrees(side * -12);
            canvas.DrawOval(0, 0, 0.24f, earLength + 0.25f, earPaint);
            canvas.Restore();
        }

        using var spot = new SKPaint { IsAntialias = true, Color = Darker(fur, 0.6f) };
        canvas.DrawCircle(-0.3f + (0.6f * random.NextSingle()), -0.55f, 0.18f, spot);
        using var muzzle = new SKPaint { IsAntialias = true, Color = Lighter(fur, 0.45f) };
        canvas.DrawOval(0, 0.5f, 0.42f, 0.35f, muzzle);
        using var eye = new SKPaint { IsAntialias = true, Color = new SKColor(40, 25, 15) };
        foreach (var side in new[] { -1f, 1f })
        {
            canvas.DrawCircle(side * 0.32f, -0.1f, 0.1f, eye);
        }

        using var nose = new SKPaint { IsAntialias = true, Color = new SKColor(20, 20, 20) };
        canvas.DrawOval(0, 0.32f, 0.18f, 0.12f, nose);
        using var tongue = new SKPaint { IsAntialias = true, Color = new SKColor(225, 90, 110) };
        if (random.Next(2) == 0)
        {
            canvas.DrawOval(0, 0.78f, 0.1f, 0.12f, tongue);
        }
    }

    private static void DrawNoise(SKCanvas canvas, Random random, int size)
    {
        using var paint = new SKPaint { IsAntialias = false };
        var count = size * size / 40;
        for (var i = 0; i < count; i++)
        {
            var level = (byte)random.Next(256);
            paint.Color = new SKColor(level, level, level, 40);
            canvas.DrawPoint(random.Next(size), random.Next(size), paint);
        }
    }

    private static SKColor RandomColor(Random random, int min, int max) =>
        new((byte)random.Next(min, max), (byte)random.Next(min, max), (byte)random.Next(min, max));

    private static SKColor Jitter(Random random, SKColor color) =>
        new(Clamp(color.Red + random.Next(-25, 26)), Clamp(color.Green + random.Next(-25, 26)), Clamp(color.Blue + random.Next(-25, 26)));

    private static SKColor Darker(SKColor color, float factor) =>
        new(Clamp(color.Red * factor), Clamp(color.Green * factor), Clamp(color.Blue * factor));

    private static SKColor Lighter(SKColor color, float amount) =>
        new(Clamp(color.Red + ((255 - color.Red) * amount)), Clamp(color.Green + ((255 - color.Green) * amount)), Clamp(color.Blue + ((255 - color.Blue) * amount)));

    private static byte Clamp(float value) => (byte)Math.Clamp(MathF.Round(value), 0, 255);
}
