using GradDescent.Deploy.Testing;

namespace GradDescent.Deploy.Tests;

/// <summary>The test helpers that read and evaluate PromQL.</summary>
public sealed class PromQlTests
{
    [Theory]
    [InlineData("up{job=\"graddescent-silo\"} == 0", "up")]
    [InlineData("histogram_quantile(0.95, sum by (le, job) (rate(orleans_app_requests_latency_milliseconds_bucket{job=~\"graddescent-.*\"}[5m])))", "orleans_app_requests_latency_milliseconds_bucket")]
    [InlineData("sum without (instance, pod) (increase(graddescent_leases_expired_total[15m])) > 3", "graddescent_leases_expired_total")]
    [InlineData("max by (sweep) (a_total{sweep=~\"$sweep\"}) / max by (sweep) (b{x=\"}{\"})", "a_total,b")]
    [InlineData("(x > 0 unless max without (instance) (changes(y[5m])) > 0) and z offset 5m", "x,y,z")]
    [InlineData("sum(rate(c_total[1m])) by (job) * on (job) group_left (version) info", "c_total,info")]
    [InlineData("1e+3 * 0.5 - 2", "")]
    public void MetricNames_Expression_ListsTheSelectedMetrics(string expression, string expected) =>
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), PromQl.MetricNames(expression));

    [Fact]
    public void Run_WrongExpectation_FailsWithPromtoolsDiff()
    {
        var result = new PromQlTest()
            .Series("m{a=\"1\"}", "1 2 3")
            .Expect("sum(m)", "2m", new ExpectedSample("{}", 4))
            .Run();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("exp:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RightExpectation_Passes()
    {
        var result = new PromQlTest()
            .Series("m{a=\"1\"}", "1 2 3")
            .Series("m{a=\"2\"}", "10 10 10")
            .Expect("sum(m)", "2m", new ExpectedSample("{}", 13))
            .Expect("m > 5", "2m", new ExpectedSample("{__name__=\"m\", a=\"2\"}", 10))
            .Run();

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void Substitute_GrafanaVariables_BecomeAllAndTheRateInterval() =>
        Assert.Equal(
            "rate(x{sweep=~\".*\", pool=~\".*\"}[1m])",
            GrafanaDashboard.Substitute("rate(x{sweep=~\"$sweep\", pool=~\"${pool}\"}[$__rate_interval])"));
}
