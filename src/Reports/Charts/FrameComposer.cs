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
    public static Image<Rgba32> SideBySide(IReadOnlyList<Plot> plots, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plots);
        var canvas = new Image<Rgba32>(width * plots.Count, height, new Rgba32(255, 255, 255));
        for (var i = 0; i < plots.Count; i++)
        {
            // BMP: no compression on either side of the hand-over (PNG would cost more than drawing the chart).
            using var part = SixLabors.ImageSharp.Image.Load<Rgba32>(plots[i].GetImage(width, height).GetImageBytes(ScottPlot.ImageFormat.Bmp));
            var offset = new SixLabors.ImageSharp.Point(i * width, 0);
            canvas.Mutate(c => c.DrawImage(part, offset, 1f));
        }

        return canvas;
    }

    /// <summary>Writes the frames (all the same size) as a looping GIF; <paramref name="delayCs"/> is each frame's delay in 1/100 s.</summary>
    public static void SaveGif(IReadOnlyList<Image<Rgba32>> frames, string path, int delayCs, int lastFrameDelayCs)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
        {
            throw new ArgumentException("an animation needs at least one frame", nameof(frames));
        }

        using var gif = new Image<Rgba32>(frames[0].Width, frames[0].Height);
        gif.Metadata.GetGifMetadata().RepeatCount = 0;
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = gif.Frames.AddFrame(frames[i].Frames.RootFrame);
            frame.Metadata.GetGifMetadata().FrameDelay = i == frames.Count - 1 ? lastFrameDelayCs : delayCs;
        }

        gif.Frames.RemoveFrame(0);
        // One fixed palette for every frame and no dithering: far cheaper than quantizing each frame, and charts have few colours.
        gif.SaveAsGif(path, new GifEncoder
        {
            ColorTableMode = GifColorTableMode.Global,
            Quantizer = new WebSafePaletteQuantizer(new QuantizerOptions { Dither = null }),
        });
    }
}
