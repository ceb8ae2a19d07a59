using System.Numerics;
using System.Runtime.CompilerServices;
using GradDescent.Abstractions.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace GradDescent.Workers.Experiments.VectorSpread;

/// <summary>
/// The CPU path of a fused vector-spread group: the same loop as <see cref="FusedSpreadRun"/>
/// (evaluate, record, clip, update, renormalise, decay; divergence kept per lane) in plain C#, one
/// lane per SIMD element (<see cref="Vector{T}"/>), lane groups one after another, with the
/// objective's gradient written by hand. On small shapes libtorch spends its time dispatching
/// operations on tiny tensors; this does the arithmetic only. Used for tangential-force and energy
/// with the ascent rule or adam on the CPU while the pair buffers stay small (<see cref="Supports"/>).
/// The hot methods are compiled fully optimised at their first call (a worker runs each group once,
/// and tier-0 code of <see cref="Vector{T}"/> loops is many times slower).
/// </summary>
internal sealed class KernelSpreadRun(SpreadLanes lanes, float[] starts)
{
    /// <summary>Largest pair buffer (bytes per lane group) for which the kernel is used; larger runs use the tensor program.</summary>
    public const long MaxPairBytes = 8L << 20;

    private static readonly int Width = Vector<float>.Count;

    private readonly SpreadSettings settings = lanes.Settings;

    public static bool Supports(SpreadSettings settings, Device device) =>
        device.type == DeviceType.CPU
        && settings.Method is VectorSpreadDefinition.TangentialForce or VectorSpreadDefinition.Energy
        && settings.Optimizer is VectorSpreadDefinition.Ascent or "adam"
        && KernelPairs.BytesFor(settings.Vectors, settings.Dims) <= MaxPairBytes;

    public SpreadLaneResults Execute(CancellationToken cancellationToken)
    {
        var results = new SpreadLaneResults(lanes.Count, settings.Iterations, settings.Vectors, settings.Dims);
        var group = new LaneGroup(settings);
        for (var first = 0; first < lanes.Count; first += Width)
        {
            RunGroup(group, first, results, cancellationToken);
        }

        return results;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunGroup(LaneGroup group, int first, SpreadLaneResults results, CancellationToken cancellationToken)
    {
        var (n, d, iterations) = (settings.Vectors, settings.Dims, settings.Iterations);
        var size = n * d;
        Span<int> lane = stackalloc int[Width];
        for (var w = 0; w < Width; w++)
        {
            // Lanes past the end repeat the last lane; their results are dropped.
            lane[w] = Math.Min(first + w, lanes.Count - 1);
        }

        group.Load(starts, lane);
        var learningRate = Gather(lanes.LearningRate, lane);
        var decay = Gather(lanes.Decay, lane);
        var clip = Gather(lanes.ClipNorm, lane);
        var (beta1, beta2, epsilon) = (Gather(lanes.Beta1, lane), Gather(lanes.Beta2, lane), Gather(lanes.Epsilon, lane));
        var sharedDecay = new Vector<float>((float)(settings.SharedLrDecay ?? 1.0));
        var diverged = Vector<int>.Zero;
        Span<float> exponents = stackalloc float[Width];
        var vectors = group.Vectors;
        var gradient = group.Gradient;

        for (var t = 0; t <= iterations; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var exponent = Exponent(t, lane, exponents);
            var closest = group.Objective.Evaluate(vectors, exponent, t < iterations ? gradient : [], out var objective);
            var angle = Degrees(closest);
            if (t > 0)
            {
                var sum = Vector<float>.Zero;
                foreach (var x in vectors)
                {
                    sum += x;
                }

                var finite = Finite(objective + angle + sum);
                diverged |= ~finite;
                var divergedMask = Vector.AsVectorSingle(diverged);
                for (var e = 0; e < size; e++)
                {
                    vectors[e] = Vector.ConditionalSelect(divergedMask, group.Previous[e], vectors[e]);
                }

                Record(results, first, t - 1, angle, objective, diverged);
            }

            if (results.FrameAt(t) is var frame and >= 0)
            {
                Snapshot(results, first, frame, vectors);
            }

            if (t == iterations)
            {
                break;
            }

            if (lanes.AnyClip)
            {
                Clip(gradient, clip);
            }

            vectors.CopyTo(group.Previous, 0);
            if (settings.IsAscent)
            {
                for (var e = 0; e < size; e++)
                {
                    vectors[e] += gradient[e] * learningRate;
                }
            }
            else
            {
                AdamStep(group, t + 1, learningRate, beta1, beta2, epsilon);
            }

            for (var i = 0; i < n; i++)
            {
                var v = vectors.AsSpan(i * d, d);
                KernelVectors.Normalize(v, v);
            }

            if ((t + 1) % settings.LrDecayEvery == 0)
            {
                learningRate *= settings.IsAscent ? decay : sharedDecay;
            }
        }

        var finalClosest = group.Objective.Evaluate(vectors, Exponent(iterations, lane, exponents), [], out var finalObjective);
        Finish(results, first, vectors, Degrees(finalClosest), finalObjective);
    }

    /// <summary>
    /// Keras Adam on the descent gradient, as the tensor optimizer computes it: m, v by lerp, then
    /// p −= m·α / (√v + ε) with α = lr·√(1 − β2^t)/(1 − β1^t).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AdamStep(LaneGroup group, int step, Vector<float> learningRate, Vector<float> beta1, Vector<float> beta2, Vector<float> epsilon)
    {
        Span<float> alpha = stackalloc float[Width];
        for (var w = 0; w < Width; w++)
        {
            alpha[w] = learningRate[w] * MathF.Sqrt(1f - MathF.Pow(beta2[w], step)) / (1f - MathF.Pow(beta1[w], step));
        }

        var a = new Vector<float>(alpha);
        var (w1, w2) = (Vector<float>.One - beta1, Vector<float>.One - beta2);
        var vectors = group.Vectors;
        for (var e = 0; e < vectors.Length; e++)
        {
            var descent = -group.Gradient[e];
            group.First[e] = Lerp(group.First[e], descent, w1);
            group.Second[e] = Lerp(group.Second[e], descent * descent, w2);
            vectors[e] -= group.First[e] * a / (Vector.SquareRoot(group.Second[e]) + epsilon);
        }
    }

    /// <summary>libtorch's lerp: start + w·(end − start) for w &lt; 0.5, else end − (end − start)·(1 − w).</summary>
    private static Vector<float> Lerp(Vector<float> start, Vector<float> end, Vector<float> weight)
    {
        var low = start + (weight * (end - start));
        var high = end - ((end - start) * (Vector<float>.One - weight));
        return Vector.ConditionalSelect(Vector.LessThan(weight, new Vector<float>(0.5f)), low, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Clip(Vector<float>[] gradient, Vector<float> clip)
    {
        var squares = Vector<float>.Zero;
        foreach (var g in gradient)
        {
            squares += g * g;
        }

        var scale = Vector.Min(clip / Vector.SquareRoot(squares), Vector<float>.One);
        for (var e = 0; e < gradient.Length; e++)
        {
            gradient[e] *= scale;
        }
    }

    private Vector<float> Exponent(int evaluation, ReadOnlySpan<int> lane, Span<float> buffer)
    {
        if (!settings.IsEnergy)
        {
            return Vector<float>.One;
        }

        for (var w = 0; w < Width; w++)
        {
            buffer[w] = lanes.ExponentAt(lane[w], evaluation);
        }

        return new Vector<float>(buffer);
    }

    private static Vector<float> Gather(float[] values, ReadOnlySpan<int> lane)
    {
        Span<float> gathered = stackalloc float[Width];
        for (var w = 0; w < Width; w++)
        {
            gathered[w] = values[lane[w]];
        }

        return new Vector<float>(gathered);
    }

    /// <summary>The minimum angle in degrees, 2·asin(d/2), from the smallest squared chord d² between unit vectors, lane by lane.</summary>
    private static Vector<float> Degrees(Vector<float> closestSquared)
    {
        Span<float> angles = stackalloc float[Width];
        for (var w = 0; w < Width; w++)
        {
            angles[w] = 2 * MathF.Asin(MathF.Min(MathF.Sqrt(closestSquared[w]) / 2, 1f)) * (float)(180.0 / Math.PI);
        }

        return new Vector<float>(angles);
    }

    private static Vector<int> Finite(Vector<float> x) => Vector.LessThan(Vector.Abs(x), new Vector<float>(float.PositiveInfinity));

    private void Record(SpreadLaneResults results, int first, int step, Vector<float> angle, Vector<float> objective, Vector<int> diverged)
    {
        for (var w = 0; w < Width && first + w < lanes.Count; w++)
        {
            var lost = diverged[w] != 0;
            results.Angles[first + w][step] = lost ? float.NaN : angle[w];
            results.Objectives[first + w][step] = lost ? float.NaN : objective[w];
        }
    }

    /// <summary>Keeps the vectors of each lane of the group as frame <paramref name="frame"/> of its trajectory.</summary>
    private void Snapshot(SpreadLaneResults results, int first, int frame, Vector<float>[] vectors)
    {
        var size = settings.Vectors * settings.Dims;
        for (var w = 0; w < Width && first + w < lanes.Count; w++)
        {
            var frames = results.Frames![first + w];
            for (var e = 0; e < size; e++)
            {
                frames[(frame * size) + e] = vectors[e][w];
            }
        }
    }

    private void Finish(SpreadLaneResults results, int first, Vector<float>[] vectors, Vector<float> angle, Vector<float> objective)
    {
        var size = settings.Vectors * settings.Dims;
        for (var w = 0; w < Width && first + w < lanes.Count; w++)
        {
            var lane = first + w;
            results.FinalAngle[lane] = angle[w];
            results.FinalObjective[lane] = objective[w];
            for (var e = 0; e < size; e++)
            {
                results.FinalVectors[(lane * size) + e] = vectors[e][w];
            }
        }
    }

    /// <summary>The state of one group of lanes: vectors, the previous step's, the gradient and Adam's moments.</summary>
    private sealed class LaneGroup
    {
        public LaneGroup(SpreadSettings settings)
        {
            var size = settings.Vectors * settings.Dims;
            Vectors = new Vector<float>[size];
            Previous = new Vector<float>[size];
            Gradient = new Vector<float>[size];
            First = new Vector<float>[size];
            Second = new Vector<float>[size];
            Objective = settings.Method == VectorSpreadDefinition.Energy
                ? new KernelEnergy(settings.Vectors, settings.Dims)
                : new KernelTangentialForce(settings.Vectors, settings.Dims);
        }

        public Vector<float>[] Vectors { get; }

        public Vector<float>[] Previous { get; }

        public Vector<float>[] Gradient { get; }

        public Vector<float>[] First { get; }

        public Vector<float>[] Second { get; }

        public IKernelObjective Objective { get; }

        /// <summary>Loads each lane's start ([L, N, D] row-major) and clears Adam's moments.</summary>
        public void Load(float[] starts, ReadOnlySpan<int> lane)
        {
            Span<float> values = stackalloc float[Width];
            for (var e = 0; e < Vectors.Length; e++)
            {
                for (var w = 0; w < Width; w++)
                {
                    values[w] = starts[(lane[w] * Vectors.Length) + e];
                }

                Vectors[e] = new Vector<float>(values);
            }

            Array.Clear(First);
            Array.Clear(Second);
        }
    }
}
