using TorchSharp;

namespace GradDescent.Workers.Experiments.Adversarial;

/// <summary>
/// The constants of the image math as process-lifetime Scalars: an implicit number → Scalar in a
/// tensor call can be finalized while libtorch still reads it (docs/torchsharp-notes.md).
/// </summary>
internal static class ImageScalars
{
    public static readonly Scalar Zero = 0.ToScalar();

    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The top 8-bit channel level, 255.</summary>
    public static readonly Scalar MaxLevel = 255f.ToScalar();
}
