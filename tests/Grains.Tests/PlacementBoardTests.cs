using GradDescent.Abstractions.Grains;
using GradDescent.Grains.Dispatch;
using Xunit;

namespace GradDescent.Grains.Tests;

/// <summary>Which workers may lease which sweeps: placement, the experiment's preferred device and its fallback wait.</summary>
public sealed class PlacementBoardTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static readonly WorkerInfo CpuA = new("cpu-a", "cpu", 2, "host", Pool: "a");
    private static readonly WorkerInfo CpuB = new("cpu-b", "cpu", 2, "host", Pool: "b");
    private static readonly WorkerInfo GpuB = new("gpu-b", "cuda:1", 1, "host", Pool: "b");

    private static readonly SweepRoute PoolB = new(new SweepPlacement("b", null), DeviceKinds.Cpu);
    private static readonly SweepRoute Cuda = new(new SweepPlacement(null, DeviceKinds.Cuda), DeviceKinds.Cpu);
    private static readonly SweepRoute PoolBCpu = new(new SweepPlacement("b", DeviceKinds.Cpu), DeviceKinds.Cpu);
    private static readonly SweepRoute PrefersCuda = new(null, DeviceKinds.Cuda);
    private static readonly SweepRoute PrefersCpu = new(null, DeviceKinds.Cpu);

    [Fact]
    public void Admits_Placement_OnlyMatchingWorkersWhateverTheWait()
    {
        var board = new PlacementBoard(Liveness, Fallback);
        board.Add("pool-b", PoolB, Start);
        board.Add("cuda", Cuda, Start);
        board.Add("pool-b-cpu", PoolBCpu, Start);
        var later = Start + TimeSpan.FromHours(1);

        Assert.Equal([false, true, true], new[] { CpuA, CpuB, GpuB }.Select(w => board.Admits("pool-b", w, later)));
        Assert.Equal([false, false, true], new[] { CpuA, CpuB, GpuB }.Select(w => board.Admits("cuda", w, later)));
        Assert.Equal([false, true, false], new[] { CpuA, CpuB, GpuB }.Select(w => board.Admits("pool-b-cpu", w, later)));
    }

    [Fact]
    public void Admits_PreferredDevice_AtOnceAndOthersOnlyAfterTheFallback()
    {
        var board = new PlacementBoard(Liveness, Fallback);
        board.Add("attack", PrefersCuda, Start);

        Assert.True(board.Admits("attack", GpuB, Start));
        Assert.False(board.Admits("attack", CpuA, Start + Fallback - TimeSpan.FromMilliseconds(1)));
        Assert.True(board.Admits("attack", CpuA, Start + Fallback));
    }

    [Fact]
    public void Leased_ByPreferredWorker_RestartsTheFallbackWait()
    {
        var board = new PlacementBoard(Liveness, Fallback);
        board.Add("attack", PrefersCuda, Start);
        var leasedAt = Start + TimeSpan.FromSeconds(8);

        board.Leased("attack", GpuB, leasedAt);
        board.Leased("attack", CpuA, leasedAt + TimeSpan.FromSeconds(9));

        Assert.False(board.Admits("attack", CpuA, Start + Fallback));
        Assert.False(board.Admits("attack", CpuA, leasedAt + Fallback - TimeSpan.FromMilliseconds(1)));
        Assert.True(board.Admits("attack", CpuA, leasedAt + Fallback));
    }

    [Fact]
    public void Add_AgainWithTheSameRoute_KeepsTheFallbackClock()
    {
        var board = new PlacementBoard(Liveness, Fallback);
        board.Add("attack", PrefersCuda, Start);

        board.Add("attack", PrefersCuda, Start + TimeSpan.FromSeconds(9));

        Assert.True(board.Admits("attack", CpuA, Start + Fallback));
    }

    [Fact]
    public void WaitOf_PlacementWithoutLiveMatchingWorker_SaysSoUntilOneAsks()
    {
        var board = new PlacementBoard(Liveness, Fallback);
        board.Add("pool-b", PoolB, Start);
        var now = Start + TimeSpan.FromMinutes(5);
        WorkerSeen[] onlyA = [Seen(CpuA, now), Seen(CpuB, now - Liveness - TimeSpan.FromSeconds(1))];
        WorkerSeen[] withB = [Seen(CpuA, now), Seen(CpuB, now - Liveness)];

        var waiting = board.WaitOf("pool-b", onlyA, now);
        var placed = board.WaitOf("pool-b", withB, now);

        Assert.Equal(
            new PlacementWait(PlacementWaitReason.NoMatchingWorker, "no live worker matches placement pool=b (none asked for work in the last 30 s)"),
            waiting);
        Assert.Null(placed);
    }

    [Fact]
    public void WaitOf_PreferredDeviceMissing_WaitsForTheFallbackOnly()
    {
        var board = new PlacementBoard(Liveness, Fallback);
        board.Add("attack", PrefersCuda, Start);
        board.Add("regression", PrefersCpu, Start);
        WorkerSeen[] cpuOnly = [Seen(CpuA, Start)];

        var early = board.WaitOf("attack", cpuOnly, Start + TimeSpan.FromSeconds(1));
        var late = board.WaitOf("attack", cpuOnly, Start + Fallback);
        var withGpu = board.WaitOf("attack", [Seen(CpuA, Start), Seen(GpuB, Start)], Start + TimeSpan.FromSeconds(1));
        var cpuPreferred = board.WaitOf("regression", cpuOnly, Start + TimeSpan.FromSeconds(1));

        Assert.Equal(PlacementWaitReason.AwaitingFallback, early?.Reason);
        Assert.Equal("no live cuda worker (the experiment's preferred device); any worker may take it from 2026-11-29 12:00:10Z", early?.Text);
        Assert.Null(late);
        Assert.Null(withGpu);
        Assert.Null(cpuPreferred);
    }

    [Fact]
    public void NotEnforced_LocalWorker_TakesEverySweepAtOnceAndNothingWaits()
    {
        var board = new PlacementBoard(Liveness, Fallback, enforced: false);
        board.Add("pool-b", PoolB, Start);
        board.Add("attack", PrefersCuda, Start);

        Assert.True(board.Admits("pool-b", CpuA, Start));
        Assert.True(board.Admits("attack", CpuA, Start));
        Assert.Null(board.WaitOf("pool-b", [], Start));
        Assert.Null(board.WaitOf("attack", [], Start));
    }

    [Fact]
    public void Remove_Sweep_ForgetsItsRoute()
    {
        var board = new PlacementBoard(Liveness, Fallback);
        board.Add("pool-b", PoolB, Start);

        board.Remove("pool-b");

        Assert.Null(board.WaitOf("pool-b", [], Start));
    }

    [Theory]
    [InlineData("cpu", "cpu")]
    [InlineData("cuda:0", "cuda")]
    [InlineData("CUDA:3", "cuda")]
    [InlineData("cuda", "cuda")]
    public void DeviceKindsOf_AdvertisedDevice_IsItsKind(string device, string kind) => Assert.Equal(kind, DeviceKinds.Of(device));

    private static WorkerSeen Seen(WorkerInfo worker, DateTimeOffset at) => new(worker, at, 0);
}
