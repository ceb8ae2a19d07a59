using GradDescent.Hosting.Logging;

namespace GradDescent.Hosting.Tests.Logging;

public sealed class ConnectionStringRedactionTests
{
    [Theory]
    [InlineData("Host=db;Username=sweeper;Password=hunter2;Database=graddescent", "hunter2")]
    [InlineData("host=db;pwd=hunter2", "hunter2")]
    [InlineData("Host=db;SSL Password=hunter2;Username=u", "hunter2")]
    [InlineData("Host=db;Password=\"hun;ter2\";Database=d", "hun;ter2")]
    [InlineData("Host=db;Password='it''s'", "it's")]
    [InlineData("Data Source=x.db;Password=hunter2", "hunter2")]
    public void Redact_SecretValue_IsMaskedAndTheRestKept(string connection, string secret)
    {
        var redacted = ConnectionStringRedaction.Redact(connection);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains("=***", redacted, StringComparison.Ordinal);
        Assert.Contains(connection.Split(';')[0], redacted, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Redact_NpgsqlStringWithPassword_KeepsEveryOtherCharacter() =>
        Assert.Equal(
            "Host=db; Username=sweeper; Password=***; Database=graddescent",
            ConnectionStringRedaction.Redact("Host=db; Username=sweeper; Password=\"a;b\"\"c\"; Database=graddescent"));

    [Theory]
    [InlineData("Host=127.0.0.1;Port=5432;Database=graddescent;Username=postgres")]
    [InlineData("Data Source=graddescent.db")]
    [InlineData("results.db")]
    [InlineData("/tmp/password-notes.db")]
    public void Redact_NoSecret_ReturnsTheTextUnchanged(string connection) =>
        Assert.Equal(connection, ConnectionStringRedaction.Redact(connection));

    [Fact]
    public void Redact_MalformedWithPassword_MasksTheValue()
    {
        var redacted = ConnectionStringRedaction.Redact("Host=db;Password=hunter2;Broken=\"unterminated");

        Assert.DoesNotContain("hunter2", redacted, StringComparison.Ordinal);
    }
}
