namespace GradDescent.Storage.Tests.Orleans;

/// <summary>A trivial grain that proves a client reached a silo.</summary>
public interface IEchoGrain : IGrainWithIntegerKey
{
    Task<string> EchoAsync(string text);
}
