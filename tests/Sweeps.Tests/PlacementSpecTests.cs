using GradDescent.Abstractions.Grains;

namespace GradDescent.Sweeps.Tests;

/// <summary>The spec's <c>placement</c> section: which workers may lease a sweep's trials.</summary>
public sealed class PlacementSpecTests
{
    private const string Header = "name: placed\nexperiment: linear-regression\ndescription: placement\n";

    [Theory]
    [InlineData("placement:\n  pool: gpu\n", "gpu", null)]
    [InlineData("placement:\n  device: cuda\n", null, "cuda")]
    [InlineData("placement: {pool: cpu-large.v2, device: cpu}\n", "cpu-large.v2", "cpu")]
    public void Parse_Placement_ReadsPoolAndDevice(string placement, string? pool, string? device)
    {
        var spec = SweepSpecParser.Parse(Header + placement, "placed.yaml");

        Assert.Equal(new SweepPlacement(pool, device), spec.Placement);
    }

    [Fact]
    public void Parse_NoPlacement_LeavesItNull()
    {
        var spec = SweepSpecParser.Parse(Header, "placed.yaml");

        Assert.Null(spec.Placement);
    }

    [Theory]
    [InlineData("placement:\n  pool: GPU\n", "placement.pool", 5, 9, "'GPU' is not a pool name: use 1-63 lower-case letters")]
    [InlineData("placement:\n  pool: -gpu\n", "placement.pool", 5, 9, "'-gpu' is not a pool name")]
    [InlineData("placement:\n  pool: [gpu]\n", "placement.pool", 5, 9, "expected text, got a list")]
    [InlineData("placement:\n  device: gpu\n", "placement.device", 5, 11, "unknown device 'gpu' (expected one of cpu, cuda)")]
    [InlineData("placement:\n  device: cuda:0\n", "placement.device", 5, 11, "unknown device 'cuda:0' (expected one of cpu, cuda)")]
    [InlineData("placement:\n  pools: gpu\n", "placement.pools", 5, 3, "unknown key (expected one of pool, device)")]
    [InlineData("placement: gpu\n", "placement", 4, 12, "expected a mapping with keys pool, device, got 'gpu'")]
    [InlineData("placement: {}\n", "placement", 4, 12, "empty placement: name a pool, a device or both")]
    public void Parse_BadPlacement_ReportsKeyAndPosition(string placement, string keyPath, int line, int column, string problem)
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Header + placement, "sweeps/x.yaml"));

        var first = ex.Errors[0];
        Assert.Equal((keyPath, line, column), (first.KeyPath, first.Line ?? 0, first.Column ?? 0));
        Assert.Contains(problem, first.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"sweeps/x.yaml:{line}:{column}: {keyPath}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadPlacementAndBadParameter_ReportsBoth()
    {
        var ex = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(
            Header + "placement:\n  device: tpu\nparameters:\n  iterations: 0\n", "sweeps/x.yaml"));

        Assert.Equal(["placement.device", "parameters.iterations"], ex.Errors.Select(e => e.KeyPath));
    }
}
