namespace GradDescent.Grains.Tests;

/// <summary>System time plus an offset the test moves forward, so lease deadlines pass without sleeping.</summary>
public sealed class SkewableTimeProvider : TimeProvider
{
    private long offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
}
