namespace GradDescent.Dashboard.Tests.Infrastructure;

/// <summary>Follows a sweep's server-sent events, the way the sweep page does, until the stream says it ended.</summary>
public static class Events
{
    /// <returns>The final status the 'end' event carries.</returns>
    public static async Task<string> WaitForEndAsync(HttpClient client, string sweepId, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var last = "(no event)";
        try
        {
            await using var stream = await client.GetStreamAsync($"/api/sweeps/{sweepId}/events", cancel.Token);
            using var reader = new StreamReader(stream);
            string? eventName = null;
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    eventName = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    last = line;
                    if (eventName == "end")
                    {
                        return line["data: ".Length..].Trim('"');
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"sweep {sweepId} did not end within {timeout}; last event: {last}");
        }

        throw new InvalidOperationException($"the event stream of sweep {sweepId} closed without an 'end' event; last event: {last}");
    }
}
