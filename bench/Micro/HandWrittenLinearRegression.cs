using System.Numerics;

namespace GradDescent.Bench.Micro;

/// <summary>
/// One linear-regression trial by hand: per iteration the loss mean((s·h + b − w)²) at the current
/// parameters, the analytic gradient (2·mean(r·h), 2·mean(r)·scale), a gd update, and the step's
/// loss, slope and intercept kept; returns the final mean squared error. float32 throughout.
/// </summary>
internal static class HandWrittenLinearRegression
{
    public delegate float Runner(float[] heights, float[] weights, float slope, float intercept, float learningRate, float interceptScale, History history);

    public static float RunScalar(float[] heights, float[] weights, float slope, float intercept, float learningRate, float interceptScale, History history)
    {
        var n = heights.Length;
        var inverse = 1f / n;
        for (var step = 0; step < history.Loss.Length; step++)
        {
            float squares = 0, residualSum = 0, residualHeight = 0;
            for (var i = 0; i < n; i++)
            {
                var r = (slope * heights[i]) + intercept - weights[i];
                squares += r * r;
                residualSum += r;
                residualHeight += r * heights[i];
            }

            history.Loss[step] = squares * inverse;
            slope -= learningRate * 2f * residualHeight * inverse;
            intercept -= learningRate * 2f * residualSum * inverse * interceptScale;
            history.Slope[step] = slope;
            history.Intercept[step] = intercept;
        }

        return MeanSquaredError(heights, weights, slope, intercept);
    }

    public static float RunSimd(float[] heights, float[] weights, float slope, float intercept, float learningRate, float interceptScale, History history)
    {
        var n = heights.Length;
        var width = Vector<float>.Count;
        var inverse = 1f / n;
        for (var step = 0; step < history.Loss.Length; step++)
        {
            var s = new Vector<float>(slope);
            var b = new Vector<float>(intercept);
            Vector<float> squares = Vector<float>.Zero, residuals = Vector<float>.Zero, residualHeights = Vector<float>.Zero;
            var i = 0;
            for (; i <= n - width; i += width)
            {
                var h = new Vector<float>(heights, i);
                var r = (s * h) + b - new Vector<float>(weights, i);
                squares += r * r;
                residuals += r;
                residualHeights += r * h;
            }

            float squareSum = Vector.Sum(squares), residualSum = Vector.Sum(residuals), residualHeight = Vector.Sum(residualHeights);
            for (; i < n; i++)
            {
                var r = (slope * heights[i]) + intercept - weights[i];
                squareSum += r * r;
                residualSum += r;
                residualHeight += r * heights[i];
            }

            history.Loss[step] = squareSum * inverse;
            slope -= learningRate * 2f * residualHeight * inverse;
            intercept -= learningRate * 2f * residualSum * inverse * interceptScale;
            history.Slope[step] = slope;
            history.Intercept[step] = intercept;
        }

        return MeanSquaredError(heights, weights, slope, intercept);
    }

    private static float MeanSquaredError(float[] heights, float[] weights, float slope, float intercept)
    {
        float squares = 0;
        for (var i = 0; i < heights.Length; i++)
        {
            var r = (slope * heights[i]) + intercept - weights[i];
            squares += r * r;
        }

        return squares / heights.Length;
    }

    /// <summary>A trial's per-step series, as a worker keeps them for storage.</summary>
    public sealed class History(int iterations)
    {
        public float[] Loss { get; } = new float[iterations];

        public float[] Slope { get; } = new float[iterations];

        public float[] Intercept { get; } = new float[iterations];
    }
}
