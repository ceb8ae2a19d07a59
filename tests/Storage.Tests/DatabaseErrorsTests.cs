using GradDescent.Storage.Resilience;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace GradDescent.Storage.Tests;

/// <summary>Which database errors are retried: a transient provider error also when EF Core wraps it.</summary>
public sealed class DatabaseErrorsTests
{
    private static NpgsqlException ConnectionLost() => new("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));

    [Fact]
    public void IsTransient_ConnectionLost_IsTransient() => Assert.True(DatabaseErrors.IsTransient(ConnectionLost()));

    [Fact]
    public void IsTransient_EfCoreWrapsATransientError_IsTransient()
    {
        var wrapped = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", ConnectionLost());

        Assert.True(DatabaseErrors.IsTransient(wrapped));
        Assert.True(DatabaseErrors.IsTransient(new DbUpdateException("save failed", ConnectionLost())));
    }

    [Fact]
    public void IsTransient_InvalidOperationWithoutATransientCause_IsNotTransient()
    {
        Assert.False(DatabaseErrors.IsTransient(new InvalidOperationException("sequence contains no elements")));
        Assert.False(DatabaseErrors.IsTransient(new InvalidOperationException("wrapped", new FormatException("bad number"))));
    }
}
