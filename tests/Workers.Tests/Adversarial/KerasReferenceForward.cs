namespace GradDescent.Workers.Tests.Adversarial;

/// <summary>
/// Random weights in Keras' own layout and a plain-loop forward pass with Keras semantics (NHWC,
/// HWIO kernels, flatten in (h, w, c) order, BatchNorm epsilon 1e-3), independent of TorchSharp.
/// </summary>
internal sealed class KerasReferenceForward
{
    private const double Epsilon = 1e-3;

    public KerasReferenceForward(int imageSize, int baseWidth, int seed)
    {
        ImageSize = imageSize;
        var random = new Random(seed);
        int[] widths = [baseWidth, 2 * baseWidth, 4 * baseWidth];
        var inChannels = 3;
        var size = imageSize;
        foreach (var width in widths)
        {
            ConvKernels.Add(Uniform(random, 9 * inChannels * width, Math.Sqrt(3.0 / (9 * inChannels))));
            ConvBiases.Add(Uniform(random, width, 0.1));
            Norms.Add(RandomNorm(random, width));
            ConvShapes.Add([3, 3, (ulong)inChannels, (ulong)width]);
            inChannels = width;
            size = (size - 2) / 2;
        }

        FeatureSize = size;
        Flattened = size * size * inChannels;
        Units = 16 * baseWidth;
        Dense1 = Uniform(random, Flattened * Units, Math.Sqrt(3.0 / Flattened));
        Dense1Bias = Uniform(random, Units, 0.1);
        Norms.Add(RandomNorm(random, Units));
        Dense2 = Uniform(random, Units * 2, Math.Sqrt(3.0 / Units));
        Dense2Bias = Uniform(random, 2, 0.1);
    }

    public int ImageSize { get; }

    public int FeatureSize { get; }

    public int Flattened { get; }

    public int Units { get; }

    public List<float[]> ConvKernels { get; } = [];

    public List<ulong[]> ConvShapes { get; } = [];

    public List<float[]> ConvBiases { get; } = [];

    /// <summary>gamma, beta, moving_mean, moving_variance per BatchNorm layer.</summary>
    public List<float[][]> Norms { get; } = [];

    public float[] Dense1 { get; }

    public float[] Dense1Bias { get; }

    public float[] Dense2 { get; }

    public float[] Dense2Bias { get; }

    /// <summary>Logits [cat, dog] of one image given as [3, H, W] (torch's planar order) values in [0, 1].</summary>
    public double[] Logits(float[] planarImage)
    {
        var size = ImageSize;
        var channels = 3;
        var x = new double[size * size * channels];
        for (var c = 0; c < 3; c++)
        {
            for (var p = 0; p < size * size; p++)
            {
                x[(p * 3) + c] = planarImage[(c * size * size) + p];
            }
        }

        for (var layer = 0; layer < 3; layer++)
        {
            var outChannels = (int)ConvShapes[layer][3];
            var convSize = size - 2;
            var y = new double[convSize * convSize * outChannels];
            for (var r = 0; r < convSize; r++)
            {
                for (var q = 0; q < convSize; q++)
                {
                    for (var o = 0; o < outChannels; o++)
                    {
                        double sum = ConvBiases[layer][o];
                        for (var kh = 0; kh < 3; kh++)
                        {
                            for (var kw = 0; kw < 3; kw++)
                            {
                                for (var i = 0; i < channels; i++)
                                {
                                    sum += x[((((r + kh) * size) + q + kw) * channels) + i] * ConvKernels[layer][((((kh * 3) + kw) * channels) + i) * outChannels + o];
                                }
                            }
                        }

                        y[(((r * convSize) + q) * outChannels) + o] = Normalize(Math.Max(0, sum), Norms[layer], o);
                    }
                }
            }

            var pooled = convSize / 2;
            x = new double[pooled * pooled * outChannels];
            for (var r = 0; r < pooled; r++)
            {
                for (var q = 0; q < pooled; q++)
                {
                    for (var o = 0; o < outChannels; o++)
                    {
                        var best = double.NegativeInfinity;
                        for (var dr = 0; dr < 2; dr++)
                        {
                            for (var dq = 0; dq < 2; dq++)
                            {
                                best = Math.Max(best, y[((((2 * r) + dr) * convSize) + (2 * q) + dq) * outChannels + o]);
                            }
                        }

                        x[(((r * pooled) + q) * outChannels) + o] = best;
                    }
                }
            }

            size = pooled;
            channels = outChannels;
        }

        var hidden = new double[Units];
        for (var u = 0; u < Units; u++)
        {
            double sum = Dense1Bias[u];
            for (var i = 0; i < Flattened; i++)
            {
                sum += x[i] * Dense1[(i * Units) + u];
            }

            hidden[u] = Normalize(Math.Max(0, sum), Norms[3], u);
        }

        var logits = new double[2];
        for (var k = 0; k < 2; k++)
        {
            double sum = Dense2Bias[k];
            for (var u = 0; u < Units; u++)
            {
                sum += hidden[u] * Dense2[(u * 2) + k];
            }

            logits[k] = sum;
        }

        return logits;
    }

    private static double Normalize(double value, float[][] norm, int channel) =>
        ((value - norm[2][channel]) / Math.Sqrt(norm[3][channel] + Epsilon) * norm[0][channel]) + norm[1][channel];

    private static float[][] RandomNorm(Random random, int count) =>
    [
        Enumerable.Range(0, count).Select(_ => 0.5f + random.NextSingle()).ToArray(),
        Uniform(random, count, 0.2),
        Enumerable.Range(0, count).Select(_ => 0.3f * random.NextSingle()).ToArray(),
        Enumerable.Range(0, count).Select(_ => 0.0005f + (0.05f * random.NextSingle())).ToArray(),
    ];

    private static float[] Uniform(Random random, int count, double limit) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * limit)).ToArray();
}
