namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>
/// Waits for a state only observable by asking (an HTTP endpoint, a scrape, a Prometheus query): asks every
/// interval until the answer satisfies the condition, and fails with the last answer when the timeout passes
/// or the process that should produce it ends.
/// </summary>
public static class Polling
{
    /// <param name="probe">One look: whether the state is reached, the value to return then, and what was seen (for the failure message).</param>
    /// <param name="timedOut">The failure message, given the last thing seen.</param>
    /// <param name="process">The process that serves the answer: when it exits, waiting stops at once.</param>
    public static async Task<T> UntilAsync<T>(
        Func<Task<(bool Done, T Value, string Seen)>> probe, TimeSpan timeout, TimeSpan interval, Func<string, string> timedOut, CliProcess? process = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(timedOut);
        using var cancel = new CancellationTokenSource(timeout);
        var seen = "no answer";
        while (process is null || !process.HasExited)
        {
            try
            {
                var (done, value, now) = await probe();
                if (done)
                {
                    return value;
                }

                seen = now;
            }
            catch (HttpRequestException e)
            {
                seen = e.Message;
            }

            try
            {
                await Task.Delay(interval, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(timedOut(seen));
            }
        }

        throw new InvalidOperationException($"the process ended while waiting (last: {seen})\nstdout:\n{process.Stdout}\nstderr:\n{process.Stderr}");
    }
}
