namespace GradDescent.Workers.Tests.VectorSpread;

/// <summary>
/// The article's objectives and the minimum angle in double precision, straight from their
/// definitions (explicit pairs and differences), to check the batched float32 code against.
/// </summary>
internal static class ReferenceSpread
{
    private const double Radius = 0.999;

    public static double MinAngleDegrees(float[][] vectors)
    {
        var smallest = double.MaxValue;
        for (var i = 0; i < vectors.Length; i++)
        {
            for (var j = i + 1; j < vectors.Length; j++)
            {
                var cosine = Math.Clamp(Dot(Unit(vectors[i]), Unit(vectors[j])), -1.0, 1.0);
                smallest = Math.Min(smallest, Math.Acos(cosine) * 180.0 / Math.PI);
            }
        }

        return smallest;
    }

    public static double Objective(string method, float[][] vectors)
    {
        var scaled = vectors.Select(v => Unit(v).Select(x => x * Radius).ToArray()).ToArray();
        return method switch
        {
            "min-angle" => NearestAngles(scaled).Min(),
            "min-angle-variance" => MinAngleVariance(NearestAngles(scaled)),
            "tangential-force" => TangentialForce(scaled),
            _ => throw new ArgumentException($"unknown method {method}", nameof(method)),
        };
    }

    private static double MinAngleVariance(double[] nearest)
    {
        var mean = nearest.Average();
        return (0.7 * nearest.Min()) - (0.3 * nearest.Sum(m => (m - mean) * (m - mean)));
    }

    private static double[] NearestAngles(double[][] scaled) =>
        scaled.Select((u, i) => scaled.Where((_, j) => j != i).Min(w => Math.Acos(Dot(u, w)))).ToArray();

    private static double TangentialForce(double[][] scaled)
    {
        var total = 0.0;
        for (var i = 0; i < scaled.Length; i++)
        {
            var force = new double[scaled[i].Length];
            for (var j = 0; j < scaled.Length; j++)
            {
                if (j == i)
                {
                    continue;
                }

                var difference = scaled[i].Zip(scaled[j], (a, b) => a - b).ToArray();
                var distance = Math.Sqrt(Dot(difference, difference));
                for (var k = 0; k < force.Length; k++)
                {
                    force[k] += difference[k] / (distance * distance * distance);
                }
            }

            var normal = Unit(scaled[i]);
            var radial = Dot(force, normal);
            var tangential = force.Zip(normal, (f, n) => f - (radial * n)).ToArray();
            total += Math.Sqrt(Dot(tangential, tangential));
        }

        return -total;
    }

    private static double[] Unit(IReadOnlyList<float> v) => Unit(v.Select(x => (double)x).ToArray());

    private static double[] Unit(double[] v)
    {
        var norm = Math.Sqrt(Dot(v, v));
        return v.Select(x => x / norm).ToArray();
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
