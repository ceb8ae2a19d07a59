namespace GradDescent.Storage.Tests;

public sealed class FloatArrayJsonTests
{
    [Fact]
    public void Write_NonFiniteValues_UsesNullAndHugeExponents()
    {
        Assert.Equal("[0.1,null,1e999,-1e999,-2.5]", FloatArrayJson.Write([0.1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -2.5f]));
        Assert.Equal("[]", FloatArrayJson.Write([]));
    }

    [Fact]
    public void Read_WrittenText_RoundTrips()
    {
        float[] values = [float.Epsilon, float.MaxValue, -float.MaxValue, float.NaN, 1f / 3f];

        Assert.Equal(values, FloatArrayJson.Read(FloatArrayJson.Write(values)));
    }

    [Fact]
    public void Read_NotAnArray_ThrowsFormatException()
    {
        var error = Assert.Throws<FormatException>(() => FloatArrayJson.Read("{\"a\":1}"));

        Assert.StartsWith("step_values: expected a JSON array", error.Message, StringComparison.Ordinal);
    }
}
