using ScottPlot;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Quantization;

namespace GradDescent.Reports.Charts;

/// <summary>Puts ScottPlot charts side by side into one PNG, and frames into an animated GIF (ImageSharp).</summary>
public static class FrameComposer
{
    /// <summary>Renders the plots left to right, each <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static Image<Rgba32> SideBySide(IReadOnlyList<Plot> plots, int width, int height) => Grid(plots, Math.Max(plots.Count, 1), width, height);

    /// <summary>Renders the plots into a grid <paramref name="columns"/> wide, row by row, each panel <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static Image<Rgba32> Grid(IReadOnlyList<Plot> plots, int columns, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plots);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var rows = Math.Max(1, (plots.Count + columns - 1) / columns);
        var canvas = new Image<Rgba32>(width * Math.Min(columns, Math.Max(plots.Count, 1)), height * rows, new Rgba32(255, 255, 255));
        for (var i = 0; i < plots.Count; i++)
        {
            // BMP: no compression on either side of the hand-over (PNG would cost more than drawing the chart).
            using var part = SixLabors.ImageSharp.Image.Load<Rgba32>(plots[i].GetImage(width, height).GetImageBytes(ScottPlot.ImageFormat.Bmp));
            var offset = new SixLabors.ImageSharp.Point(i % columns * width, i / columns * height);
            canvas.Mutate(c => c.DrawImage(part, offset, 1f));
        }

        return canvas;
    }

    /// <summary>
    /// Renders frames in parallel (each by <paramref name="frame"/>), a core's worth at a time, and writes them as a
    /// looping GIF. Each rendered frame is copied into the animation and freed at once, so the frames are held once, not
    /// twice. <paramref name="last"/>, when given, sees the last frame before it is freed (a still picture of the end
    /// costs no second render).
    /// </summary>
    public static void SaveAnimation(int count, Func<int, Image<Rgba32>> frame, string path, int delayCs, int lastFrameDelayCs, Action<Image<Rgba32>>? last = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var rendered = new Image<Rgba32>[Math.Min(count, Math.Max(1, Environment.ProcessorCount))];
        Image<Rgba32>? gif = null;
        try
        {
            for (var start = 0; start < count; start += rendered.Length)
            {
                var n = Math.Min(rendered.Length, count - start);
                try
                {
                    Parallel.For(0, n, i => rendered[i] = frame(start + i));
                    for (var i = 0; i < n; i++)
                    {
                        gif ??= new Image<Rgba32>(rendered[i].Width, rendered[i].Height);
                        var added = gif.Frames.AddFrame(rendered[i].Frames.RootFrame);
                        added.Metadata.GetGifMetadata().FrameDelay = start + i == count - 1 ? lastFrameDelayCs : delayCs;
                        if (start + i == count - 1)
                        {
                            last?.Invoke(rendered[i]);
                        }

                        rendered[i].Dispose();
                        rendered[i] = null!;
                    }
                }
                finally
                {
                    foreach (var image in rendered)
                    {
                        image?.Dispose();
                    }

                    Array.Clear(rendered);
                }
            }

            gif!.Frames.RemoveFrame(0);
            Encode(gif, path);
        }
        finally
        {
            gif?.Dispose();
        }
    }

    /// <summary>Up to <paramref name="max"/> evenly spaced indexes of a series of <paramref name="length"/>, first and last included.</summary>
    public static IReadOnlyList<int> FrameSteps(int length, int max) =>
        length <= max
            ? [.. Enumerable.Range(0, length)]
            : [.. Enumerable.Range(0, max).Select(i => (int)Math.Round(i * (length - 1) / (double)(max - 1))).Distinct()];

    /// <summary>Writes the frames (all the same size) as a looping GIF; <paramref name="delayCs"/> is each frame's delay in 1/100 s.</summary>
    public static void SaveGif(IReadOnlyList<Image<Rgba32>> frames, string path, int delayCs, int lastFrameDelayCs)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
        {
            throw new ArgumentException("an animation needs at least one frame", nameof(frames));
        }

        using var gif = new Image<Rgba32>(frames[0].Width, frames[0].Height);
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = gif.Frames.AddFrame(frames[i].Frames.RootFrame);
            frame.Metadata.GetGifMetadata().FrameDelay = i == frames.Count - 1 ? lastFrameDelayCs : delayCs;
        }

        gif.Frames.RemoveFrame(0);
        Encode(gif, path);
    }

    private static void Encode(Image<Rgba32> gif, string path)
    {
        gif.Metadata.GetGifMetadata().RepeatCount = 0;
        // One fixed palette for every frame and no dithering: far cheaper than quantizing each frame, and charts have few colours.
        gif.SaveAsGif(path, new GifEncoder
        {
            ColorTableMode = GifColorTableMode.Global,
            Quantizer = new WebSafePaletteQuantizer(new QuantizerOptions { Dither = null }),
        });
    }
}
