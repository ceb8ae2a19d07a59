using System.Net.Sockets;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Grains.Calls;
using Npgsql;
using Xunit;

namespace GradDescent.Grains.Tests;

public sealed class SerializableErrorsFilterTests
{
    [Fact]
    public void Convert_NpgsqlConnectionRefused_StoreUnavailableWithoutInner()
    {
        var converted = SerializableErrorsFilter.Convert(new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)));

        var unavailable = Assert.IsType<StoreUnavailableException>(converted);
        Assert.Null(unavailable.InnerException);
        Assert.Contains("retry later", unavailable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_StoreUnavailableHoldingDriverException_CopyWithoutInner()
    {
        var original = new StoreUnavailableException("down for 60 s", new NpgsqlException("boom")) { RetriedFor = TimeSpan.FromSeconds(60) };

        var converted = Assert.IsType<StoreUnavailableException>(SerializableErrorsFilter.Convert(original));

        Assert.Equal(("down for 60 s", TimeSpan.FromSeconds(60)), (converted.Message, converted.RetriedFor));
        Assert.Null(converted.InnerException);
    }

    [Fact]
    public void Convert_DriverErrorThatWaitingCannotFix_ControlPlaneExceptionNamingIt()
    {
        var converted = SerializableErrorsFilter.Convert(new NpgsqlException("syntax error"));

        var failure = Assert.IsType<ControlPlaneException>(converted);
        Assert.Equal("NpgsqlException: syntax error", failure.Message);
    }

    [Fact]
    public void Convert_SerialisableExceptions_SentUnchanged()
    {
        Assert.Null(SerializableErrorsFilter.Convert(new KeyNotFoundException("no sweep 'x' is stored")));
        Assert.Null(SerializableErrorsFilter.Convert(new StoreUnavailableException("down")));
        Assert.Null(SerializableErrorsFilter.Convert(new ControlPlaneException("refused")));
        Assert.IsType<ControlPlaneException>(SerializableErrorsFilter.Convert(new InvalidOperationException("outer", new NpgsqlException("inner"))));
    }
}
