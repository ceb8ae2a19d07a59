using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Tests.Adversarial;

/// <summary>
/// The oracle the victim's convolutions are checked against: a 'valid' convolution written as a
/// matrix product of the input's patches (unfold) with the flattened weights. It uses only unfold,
/// permute, matmul and add, whose backward passes are plain index arithmetic and matrix products,
/// and it runs in any dtype (float64 gives a reference without float32 rounding).
/// </summary>
internal static class UnfoldConvolution
{
    private static readonly Scalar One = 1.ToScalar();

    public static Tensor Apply(Tensor input, Tensor weight, Tensor? bias)
    {
        var kernel = weight.shape[2];
        var patches = input.unfold(2, kernel, 1).unfold(3, kernel, 1)   // [B, C, H', W', k, k]
            .permute(0, 2, 3, 1, 4, 5).flatten(3);                        // [B, H', W', C·k·k]
        var output = patches.matmul(weight.flatten(1).t());               // [B, H', W', O]
        if (bias is not null)
        {
            output = output.add(bias, One);
        }

        return output.permute(0, 3, 1, 2);
    }
}
