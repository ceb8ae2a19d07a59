using System.Reflection;
using GradDescent.Abstractions.Grains;
using GradDescent.Abstractions.Storage;
using GradDescent.Storage.Resilience;

namespace GradDescent.Grains.Calls;

/// <summary>
/// Every exception a GradDescent grain throws reaches its caller as one Orleans can serialise: a database that stays
/// unreachable as <see cref="StoreUnavailableException"/> (the caller waits and retries), .NET's own exceptions and
/// the project's serialisable ones as they are, anything else (a database driver's exception, whose type the caller
/// may not even load) as <see cref="ControlPlaneException"/> with the original type and message. Inner exceptions
/// are dropped: they are what Orleans failed on (<c>CodecNotFoundException</c>).
/// </summary>
internal sealed class SerializableErrorsFilter : IIncomingGrainCallFilter
{
    private static readonly Assembly Contracts = typeof(ISweepGrain).Assembly;
    private static readonly Assembly CoreLibrary = typeof(Exception).Assembly;

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (context.InterfaceMethod?.DeclaringType?.Assembly == Contracts && Convert(e) is { } converted)
        {
            throw converted;
        }
    }

    /// <summary>The exception to send instead of <paramref name="exception"/>; null to send it unchanged.</summary>
    internal static Exception? Convert(Exception exception) => exception switch
    {
        StoreUnavailableException { InnerException: null } or ControlPlaneException { InnerException: null } => null,
        StoreUnavailableException unavailable => new StoreUnavailableException(unavailable.Message) { RetriedFor = unavailable.RetriedFor },
        _ when DatabaseErrors.IsTransient(exception) => new StoreUnavailableException($"the result store is unavailable ({DatabaseErrors.Describe(exception)}); retry later"),
        { InnerException: null } when exception.GetType().Assembly == CoreLibrary => null,
        _ => new ControlPlaneException($"{exception.GetType().Name}: {exception.Message}"),
    };
}
