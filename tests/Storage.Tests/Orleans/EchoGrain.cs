namespace GradDescent.Storage.Tests.Orleans;

public sealed class EchoGrain : Grain, IEchoGrain
{
    public Task<string> EchoAsync(string text) => Task.FromResult($"{this.GetPrimaryKeyLong()}:{text}");
}
