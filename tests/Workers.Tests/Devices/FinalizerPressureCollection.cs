using Xunit;

namespace GradDescent.Workers.Tests.Devices;

/// <summary>
/// Tests that hammer the garbage collector run alone, after every parallel test: their pressure
/// must not make other test classes' native code (possibly not yet following
/// docs/torchsharp-notes.md) fail by chance.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FinalizerPressureCollection
{
    public const string Name = "finalizer pressure";
}
