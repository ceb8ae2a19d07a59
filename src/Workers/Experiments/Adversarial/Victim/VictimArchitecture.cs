namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>
/// Shape of the article's dog-vs-cat network: three blocks of 3×3 'valid' convolutions with
/// <c>BaseWidth</c>, 2×, 4× filters (ReLU → BatchNorm → MaxPool 2×2 → Dropout 0.25), then Flatten →
/// Dense(16 × BaseWidth) ReLU → BatchNorm → Dropout 0.5 → Dense 2 softmax. The article's network is
/// <see cref="Article"/>: 128×128×3 input, base width 32, a 512-unit dense layer.
/// </summary>
public sealed record VictimArchitecture
{
    public const int ArticleImageSize = 128;

    public const int ArticleBaseWidth = 32;

    /// <summary>Keras BatchNormalization's epsilon (torch's default is 1e-5).</summary>
    public const double BatchNormEpsilon = 1e-3;

    /// <exception cref="ArgumentOutOfRangeException">The image is too small for three conv+pool blocks, or the width is not positive.</exception>
    public VictimArchitecture(int imageSize, int baseWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 22);
        ArgumentOutOfRangeException.ThrowIfLessThan(baseWidth, 1);
        ImageSize = imageSize;
        BaseWidth = baseWidth;
    }

    public static VictimArchitecture Article { get; } = new(ArticleImageSize, ArticleBaseWidth);

    /// <summary>Input height and width in pixels (the input is square, RGB in [0, 1]).</summary>
    public int ImageSize { get; }

    /// <summary>Filters of the first convolution; the second and third have 2× and 4×.</summary>
    public int BaseWidth { get; }

    public int[] ConvWidths => [BaseWidth, 2 * BaseWidth, 4 * BaseWidth];

    public int DenseUnits => 16 * BaseWidth;

    /// <summary>Height (= width) of the last block's output: 128 → 126 → 63 → 61 → 30 → 28 → 14.</summary>
    public int FeatureSize => FeatureSizeOf(ImageSize);

    /// <summary>Inputs of the first dense layer: FeatureSize² × 4 × BaseWidth (25088 for the article).</summary>
    public int FlattenedFeatures => FeatureSize * FeatureSize * 4 * BaseWidth;

    /// <summary>Trainable weights and biases plus BatchNorm scales and offsets (running statistics excluded).</summary>
    public long TrainableParameterCount
    {
        get
        {
            long count = 0;
            var inChannels = 3;
            foreach (var width in ConvWidths)
            {
                count += (9L * inChannels * width) + width + (2L * width);
                inChannels = width;
            }

            count += ((long)FlattenedFeatures * DenseUnits) + DenseUnits + (2L * DenseUnits);
            count += (DenseUnits * 2L) + 2;
            return count;
        }
    }

    public static int FeatureSizeOf(int imageSize)
    {
        var size = imageSize;
        for (var block = 0; block < 3; block++)
        {
            size = (size - 2) / 2;
        }

        return size;
    }

    /// <summary>
    /// The input size a network with these weights was built for, when only the flattened feature
    /// size is known: the article's 128 when it fits, else the smallest fitting multiple of 8, else
    /// the smallest fitting size.
    /// </summary>
    /// <exception cref="ArgumentException">No input size gives this feature size.</exception>
    public static int InferImageSize(int featureSize)
    {
        var fitting = Enumerable.Range(22, 4096).Where(s => FeatureSizeOf(s) == featureSize).ToList();
        if (fitting.Count == 0)
        {
            throw new ArgumentException($"no input size gives a {featureSize}×{featureSize} feature map", nameof(featureSize));
        }

        if (fitting.Contains(ArticleImageSize))
        {
            return ArticleImageSize;
        }

        return fitting.FirstOrDefault(s => s % 8 == 0, fitting[0]);
    }

    public override string ToString() => $"{ImageSize}×{ImageSize}×3, base width {BaseWidth}";
}
