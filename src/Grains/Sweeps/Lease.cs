using System.Collections.Immutable;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Trials;

namespace GradDescent.Grains.Sweeps;

/// <summary>
/// A batch out on a worker, until its deadline (extended by heartbeats); its trials share one group of the trial
/// source. Only calls that carry its random <see cref="Token"/> may extend, complete or release it.
/// </summary>
internal sealed class Lease(Guid id, WorkerInfo worker, ImmutableArray<TrialSpec> trials, DateTimeOffset deadline, int group = 0, Guid token = default)
{
    public Guid Id { get; } = id;

    /// <summary>The secret handed to the worker with the lease (128 random bits).</summary>
    public Guid Token { get; } = token;

    public WorkerInfo Worker { get; } = worker;

    public ImmutableArray<TrialSpec> Trials { get; } = trials;

    public DateTimeOffset Deadline { get; set; } = deadline;

    /// <summary>The trial source's group (a search generation) all its trials belong to.</summary>
    public int Group { get; } = group;

    /// <summary>Whether <paramref name="token"/> is this lease's (compared in constant time).</summary>
    public bool Holds(Guid token)
    {
        Span<byte> mine = stackalloc byte[16];
        Span<byte> theirs = stackalloc byte[16];
        Token.TryWriteBytes(mine);
        token.TryWriteBytes(theirs);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(mine, theirs);
    }

    /// <summary>A fresh random token (128 bits from the operating system's cryptographic generator).</summary>
    public static Guid NewToken() => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
