namespace GradDescent.Workers.Experiments.LinearRegression;

/// <summary>The exact (closed-form, double precision) least-squares line and its mean squared error.</summary>
public sealed record LeastSquaresSolution(double Slope, double Intercept, double Mse)
{
    /// <summary>Fits <c>y = slope*x + intercept</c> from centred sums.</summary>
    /// <exception cref="ArgumentException">Fewer than two points, or every x equal.</exception>
    public static LeastSquaresSolution Fit(IReadOnlyList<float> x, IReadOnlyList<float> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var n = x.Count;
        if (n < 2 || y.Count != n)
        {
            throw new ArgumentException($"need at least two (x, y) pairs of equal count, got {n} x and {y.Count} y", nameof(x));
        }

        double meanX = 0, meanY = 0;
        for (var i = 0; i < n; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= n;
        meanY /= n;
        double sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = x[i] - meanX;
            sxx += dx * dx;
            sxy += dx * (y[i] - meanY);
        }

        if (sxx == 0)
        {
            throw new ArgumentException($"all {n} x values are equal ({x[0]}); the slope is undefined", nameof(x));
        }

        var slope = sxy / sxx;
        var intercept = meanY - (slope * meanX);
        double squares = 0;
        for (var i = 0; i < n; i++)
        {
            var residual = y[i] - ((slope * x[i]) + intercept);
            squares += residual * residual;
        }

        return new LeastSquaresSolution(slope, intercept, squares / n);
    }
}
