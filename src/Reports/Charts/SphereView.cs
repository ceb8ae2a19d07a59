using ScottPlot;

namespace GradDescent.Reports.Charts;

/// <summary>
/// Draws unit vectors: in 2-D on the unit circle as they are; in 3-D on an orthographic view of the sphere (seen from a
/// fixed oblique direction; vectors on the near side filled, on the far side hollow); in more dimensions, the same view
/// of their projection onto the three principal axes of the final arrangement (the view is fixed per run, so frames of an
/// animation are comparable).
/// </summary>
public sealed class SphereView
{
    /// <summary>Most dimensions whose principal axes are computed; beyond, the first three coordinates are shown.</summary>
    public const int MaxPrincipalDims = 64;

    private readonly double[][] basis;

    /// <param name="reference">The arrangement that fixes the view (the final vectors, [N][D]).</param>
    public SphereView(IReadOnlyList<double[]> reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Dims = reference.Count == 0 ? 2 : reference[0].Length;
        basis = Dims switch
        {
            2 => [],
            3 => Camera(),
            _ when Dims <= MaxPrincipalDims => Multiply(Camera(), PrincipalAxes(reference, 3)),
            _ => Multiply(Camera(), [Unit(Dims, 0), Unit(Dims, 1), Unit(Dims, 2)]),
        };
    }

    public int Dims { get; }

    /// <summary>How the picture relates to the vectors, for captions.</summary>
    public string Description => Dims switch
    {
        2 => "unit vectors on the circle",
        3 => "an orthographic view of the unit sphere (filled: near side; hollow: far side)",
        <= MaxPrincipalDims => $"{Dims}-D unit vectors projected onto the three principal axes of the final arrangement, seen as a sphere (filled: near side; hollow: far side)",
        _ => $"{Dims}-D unit vectors, first three coordinates, seen as a sphere",
    };

    /// <summary>A plot of the vectors, titled.</summary>
    public Plot Draw(IReadOnlyList<double[]> vectors, string title, Color color)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var plot = ChartStyle.NewPlot(title, string.Empty, string.Empty);
        plot.Title(title, size: 13);
        var outline = plot.Add.Circle(0, 0, 1);
        outline.LineColor = Colors.Gray;
        outline.LinePattern = Dims == 2 ? LinePattern.Dashed : LinePattern.Solid;
        if (Dims == 3)
        {
            // The sphere's equator (third coordinate 0), to read depth by.
            var equator = Enumerable.Range(0, 73).Select(i => Project([Math.Cos(i * Math.PI / 36), Math.Sin(i * Math.PI / 36), 0])).ToList();
            var line = plot.Add.ScatterLine(equator.Select(e => e.X).ToArray(), equator.Select(e => e.Y).ToArray());
            line.Color = Colors.LightGray;
            line.LinePattern = LinePattern.Dotted;
        }

        foreach (var v in vectors)
        {
            var (x, y, depth) = Project(v);
            var near = Dims == 2 || depth >= 0;
            if (Dims == 2)
            {
                var spoke = plot.Add.Line(0, 0, x, y);
                spoke.Color = color.WithAlpha(0.5);
                spoke.LineWidth = 1.5f;
            }

            var tip = plot.Add.Marker(x, y);
            tip.Color = color;
            tip.Size = near ? 8 : 7;
            tip.Shape = near ? MarkerShape.FilledCircle : MarkerShape.OpenCircle;
        }

        plot.Axes.SetLimits(-1.15, 1.15, -1.15, 1.15);
        plot.Axes.SquareUnits();
        plot.HideGrid();
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickLabelStyle.IsVisible = false;
            axis.MajorTickStyle.Length = 0;
            axis.MinorTickStyle.Length = 0;
        }

        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left, plot.Axes.Right, plot.Axes.Top })
        {
            axis.FrameLineStyle.Width = 0;
        }

        return plot;
    }

    /// <summary>Screen coordinates and depth (positive: towards the viewer) of a unit vector.</summary>
    public (double X, double Y, double Depth) Project(double[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (Dims == 2)
        {
            return (v[0], v[1], 1);
        }

        var p = basis.Select(row => row.Zip(v, (a, b) => a * b).Sum()).ToArray();
        var norm = Math.Sqrt(p.Sum(x => x * x));
        if (Dims > 3 && norm > 1e-12)
        {
            // Projected vectors are shorter than 1: put them back on the sphere so the view reads as one.
            p = [.. p.Select(x => x / norm)];
        }

        return (p[0], p[1], p[2]);
    }

    /// <summary>Rows: screen x, screen y, depth, for a camera looking at the sphere from (1, 0.8, 0.6) with the third axis up.</summary>
    private static double[][] Camera()
    {
        double[] view = Normalize([1, 0.8, 0.6]);
        double[] up = [0, 0, 1];
        var right = Normalize(Cross(up, view));
        var screenUp = Cross(view, right);
        return [right, screenUp, view];
    }

    private static double[][] Multiply(double[][] a, double[][] b) =>
        [.. a.Select(row => Enumerable.Range(0, b[0].Length).Select(j => row.Select((x, k) => x * b[k][j]).Sum()).ToArray())];

    /// <summary>The top <paramref name="count"/> eigenvectors of the vectors' second-moment matrix (Jacobi rotations), as rows.</summary>
    private static double[][] PrincipalAxes(IReadOnlyList<double[]> vectors, int count)
    {
        var d = vectors[0].Length;
        var m = new double[d, d];
        foreach (var v in vectors)
        {
            for (var i = 0; i < d; i++)
            {
                for (var j = 0; j < d; j++)
                {
                    m[i, j] += v[i] * v[j];
                }
            }
        }

        var vectorsOut = new double[d, d];
        for (var i = 0; i < d; i++)
        {
            vectorsOut[i, i] = 1;
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            var off = 0.0;
            for (var p = 0; p < d; p++)
            {
                for (var q = p + 1; q < d; q++)
                {
                    off += m[p, q] * m[p, q];
                }
            }

            if (off < 1e-22)
            {
                break;
            }

            for (var p = 0; p < d; p++)
            {
                for (var q = p + 1; q < d; q++)
                {
                    if (Math.Abs(m[p, q]) < 1e-300)
                    {
                        continue;
                    }

                    var theta = (m[q, q] - m[p, p]) / (2 * m[p, q]);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var k = 0; k < d; k++)
                    {
                        double mkp = m[k, p], mkq = m[k, q];
                        m[k, p] = (c * mkp) - (s * mkq);
                        m[k, q] = (s * mkp) + (c * mkq);
                    }

                    for (var k = 0; k < d; k++)
                    {
                        double mpk = m[p, k], mqk = m[q, k];
                        m[p, k] = (c * mpk) - (s * mqk);
                        m[q, k] = (s * mpk) + (c * mqk);
                    }

                    for (var k = 0; k < d; k++)
                    {
                        double vkp = vectorsOut[k, p], vkq = vectorsOut[k, q];
                        vectorsOut[k, p] = (c * vkp) - (s * vkq);
                        vectorsOut[k, q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        return [.. Enumerable.Range(0, d)
            .OrderByDescending(i => m[i, i])
            .Take(count)
            .Select(i => Enumerable.Range(0, d).Select(k => vectorsOut[k, i]).ToArray())];
    }

    private static double[] Unit(int dims, int axis) => [.. Enumerable.Range(0, dims).Select(i => i == axis ? 1.0 : 0.0)];

    private static double[] Cross(double[] a, double[] b) =>
        [(a[1] * b[2]) - (a[2] * b[1]), (a[2] * b[0]) - (a[0] * b[2]), (a[0] * b[1]) - (a[1] * b[0])];

    private static double[] Normalize(double[] v)
    {
        var n = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / n)];
    }
}
