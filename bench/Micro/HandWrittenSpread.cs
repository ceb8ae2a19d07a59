using GradDescent.Workers.Experiments.VectorSpread;

namespace GradDescent.Bench.Micro;

/// <summary>
/// One vector-spread trial by hand, scalar float32, one trial after another: the same objective,
/// gradient, pair kick, clipping, update rule and decay as GradDescent, every step's minimum angle and
/// objective kept; no divergence bookkeeping and no outcomes. Vectors are [N·D] row-major, unit length.
/// </summary>
internal static class HandWrittenSpread
{
    private const float Radius = 0.999f;
    private const float Near = PairKick.RadiusSquared;
    private const float Floor = PairKick.FloorSquared;

    /// <summary>Tangential force, ascent: v += lr·clip(∇J), renormalise, lr *= decay every <paramref name="every"/> steps.</summary>
    public static float TangentialForce(float[] v, int n, int d, float lr, float decay, int every, float clip, float[] angles, float[] objectives)
    {
        var work = new Work(n, d);
        return Loop(v, n, d, angles, objectives, (_, gradient) => TangentialForceGradient(v, n, d, work, gradient), t =>
        {
            var scale = ClipScale(work.Gradient, clip);
            for (var e = 0; e < v.Length; e++)
            {
                v[e] += work.Gradient[e] * scale * lr;
            }

            if ((t + 1) % every == 0)
            {
                lr *= decay;
            }
        });
    }

    /// <summary>Energy with s geometric from <paramref name="s0"/> to <paramref name="s1"/>, Keras Adam on the clipped descent gradient.</summary>
    public static float Energy(float[] v, int n, int d, float lr, float decay, int every, float clip, float s0, float s1, float[] angles, float[] objectives)
    {
        var work = new Work(n, d);
        var (m, second) = (new float[v.Length], new float[v.Length]);
        var iterations = angles.Length;
        var logRatio = Math.Log(s1 / (double)s0);
        return Loop(v, n, d, angles, objectives, (t, gradient) =>
        {
            var s = (float)(s0 * Math.Exp(Math.Min(1.0, t / (double)Math.Max(1, iterations - 1)) * logRatio));
            return EnergyGradient(v, n, d, s, work, gradient);
        }, t =>
        {
            var scale = ClipScale(work.Gradient, clip);
            var step = t + 1;
            var alpha = lr * MathF.Sqrt(1f - MathF.Pow(0.999f, step)) / (1f - MathF.Pow(0.9f, step));
            for (var e = 0; e < v.Length; e++)
            {
                var g = -work.Gradient[e] * scale;
                m[e] += 0.100000024f * (g - m[e]);
                second[e] += 0.0009999871f * ((g * g) - second[e]);
                v[e] -= m[e] * alpha / (MathF.Sqrt(second[e]) + 1e-7f);
            }

            if ((t + 1) % every == 0)
            {
                lr *= decay;
            }
        });
    }

    /// <summary>
    /// The loop both objectives share: evaluate (with the gradient until the last evaluation), record the
    /// previous step's metrics, update, renormalise.
    /// </summary>
    private static float Loop(float[] v, int n, int d, float[] angles, float[] objectives, Func<int, bool, float> evaluate, Action<int> update)
    {
        var iterations = angles.Length;
        for (var t = 0; ; t++)
        {
            var objective = evaluate(t, t < iterations);
            if (t > 0)
            {
                angles[t - 1] = MinAngle(v, n, d);
                objectives[t - 1] = objective;
            }

            if (t == iterations)
            {
                return objective;
            }

            update(t);
            Renormalise(v, n, d);
        }
    }

    private static float TangentialForceGradient(float[] v, int n, int d, Work w, bool gradient)
    {
        Array.Clear(w.Force);
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var squared = Difference(v, i, j, d, Radius, w.R);
                var weight = 1f / (squared * MathF.Sqrt(squared));
                for (var k = 0; k < d; k++)
                {
                    w.Force[(i * d) + k] += weight * w.R[k];
                    w.Force[(j * d) + k] -= weight * w.R[k];
                }
            }
        }

        var objective = 0f;
        for (var i = 0; i < n; i++)
        {
            var radial = 0f;
            for (var k = 0; k < d; k++)
            {
                radial += w.Force[(i * d) + k] * v[(i * d) + k];
            }

            w.Radial[i] = radial;
            var size = 0f;
            for (var k = 0; k < d; k++)
            {
                var x = w.Force[(i * d) + k] - (radial * v[(i * d) + k]);
                w.Direction[(i * d) + k] = x;
                size += x * x;
            }

            size = MathF.Sqrt(size);
            objective -= size;
            for (var k = 0; k < d; k++)
            {
                w.Direction[(i * d) + k] = size > 0 ? w.Direction[(i * d) + k] / size : 0;
            }
        }

        if (!gradient)
        {
            return objective;
        }

        Array.Clear(w.Gradient);
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var squared = Difference(v, i, j, d, Radius, w.R);
                var weight = 1f / (squared * MathF.Sqrt(squared));
                var along = 0f;
                for (var k = 0; k < d; k++)
                {
                    along += (w.Direction[(i * d) + k] - w.Direction[(j * d) + k]) * w.R[k];
                }

                var slope = squared > Floor ? 3f * weight / squared * along : 0f;
                for (var k = 0; k < d; k++)
                {
                    var x = (weight * (w.Direction[(i * d) + k] - w.Direction[(j * d) + k])) - (slope * w.R[k]);
                    w.Gradient[(i * d) + k] -= x;
                    w.Gradient[(j * d) + k] += x;
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            var correction = w.Radial[i] / Radius;
            var along = 0f;
            for (var k = 0; k < d; k++)
            {
                w.Gradient[(i * d) + k] += correction * w.Direction[(i * d) + k];
                along += w.Gradient[(i * d) + k] * v[(i * d) + k];
            }

            for (var k = 0; k < d; k++)
            {
                w.Gradient[(i * d) + k] = (w.Gradient[(i * d) + k] - (along * v[(i * d) + k])) * Radius;
            }
        }

        return objective;
    }

    private static float EnergyGradient(float[] v, int n, int d, float s, Work w, bool gradient)
    {
        var smallest = float.PositiveInfinity;
        var p = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++, p++)
            {
                w.Squared[p] = Difference(v, i, j, d, 1f, w.R);
                Array.Copy(w.R, 0, w.Pairs, p * d, d);
                smallest = MathF.Min(smallest, w.Squared[p]);
            }
        }

        var logSmallest = MathF.Log(smallest);
        var total = 0f;
        Array.Clear(w.Gradient);
        p = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++, p++)
            {
                var share = MathF.Exp(-0.5f * s * (MathF.Log(w.Squared[p]) - logSmallest));
                total += share;
                if (gradient)
                {
                    var coefficient = w.Squared[p] > Floor ? share / w.Squared[p] : 0f;
                    for (var k = 0; k < d; k++)
                    {
                        w.Gradient[(i * d) + k] += coefficient * w.Pairs[(p * d) + k];
                        w.Gradient[(j * d) + k] -= coefficient * w.Pairs[(p * d) + k];
                    }
                }
            }
        }

        var objective = -(0.5f * n * ((-0.5f * s * logSmallest) + MathF.Log(total)) / s);
        if (gradient)
        {
            var scale = 0.5f * n / total;
            for (var i = 0; i < n; i++)
            {
                var along = 0f;
                for (var k = 0; k < d; k++)
                {
                    w.Gradient[(i * d) + k] *= scale;
                    along += w.Gradient[(i * d) + k] * v[(i * d) + k];
                }

                for (var k = 0; k < d; k++)
                {
                    w.Gradient[(i * d) + k] -= along * v[(i * d) + k];
                }
            }
        }

        return objective;
    }

    /// <summary>r = ρ(v_i − v_j), kicked apart along a fixed direction when closer than 1e-4; returns ‖r‖² (floored).</summary>
    private static float Difference(float[] v, int i, int j, int d, float radius, float[] r)
    {
        var squared = 0f;
        for (var k = 0; k < d; k++)
        {
            r[k] = (radius * v[(i * d) + k]) - (radius * v[(j * d) + k]);
            squared += r[k] * r[k];
        }

        if (squared < Near)
        {
            Span<float> direction = stackalloc float[d];
            PairKick.Direction(i, j, direction);
            squared = 0f;
            for (var k = 0; k < d; k++)
            {
                r[k] += PairKick.Radius * direction[k];
                squared += r[k] * r[k];
            }
        }

        return MathF.Max(squared, Floor);
    }

    private static float ClipScale(float[] gradient, float clip)
    {
        var squares = 0f;
        foreach (var g in gradient)
        {
            squares += g * g;
        }

        return MathF.Min(clip / MathF.Sqrt(squares), 1f);
    }

    private static float MinAngle(float[] v, int n, int d)
    {
        var largest = -2f;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var dot = 0f;
                for (var k = 0; k < d; k++)
                {
                    dot += v[(i * d) + k] * v[(j * d) + k];
                }

                largest = MathF.Max(largest, dot);
            }
        }

        return MathF.Acos(Math.Clamp(largest, -1f, 1f)) * (180f / MathF.PI);
    }

    private static void Renormalise(float[] v, int n, int d)
    {
        for (var i = 0; i < n; i++)
        {
            var squares = 0f;
            for (var k = 0; k < d; k++)
            {
                squares += v[(i * d) + k] * v[(i * d) + k];
            }

            var length = MathF.Sqrt(squares);
            for (var k = 0; k < d; k++)
            {
                v[(i * d) + k] /= length;
            }
        }
    }

    private sealed class Work(int n, int d)
    {
        public float[] R { get; } = new float[d];

        public float[] Force { get; } = new float[n * d];

        public float[] Direction { get; } = new float[n * d];

        public float[] Radial { get; } = new float[n];

        public float[] Gradient { get; } = new float[n * d];

        public float[] Squared { get; } = new float[n * (n - 1) / 2];

        public float[] Pairs { get; } = new float[n * (n - 1) / 2 * d];
    }
}
