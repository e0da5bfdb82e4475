namespace RaftBalancer.Core.Tests.Balancing;

/// <summary>The tracker's memory bound, measured with <see cref="GC.GetTotalMemory(bool)"/>.</summary>
/// <remarks>
/// The heap is process-wide: measured while other test classes run in parallel it counts their allocations too
/// (seen as "heap grew 1069736 bytes" on a loaded 2-core box). So this class runs in
/// <see cref="MemoryMeasurementGroup"/>, alone, after the parallel tests.
/// </remarks>
[Trait("Category", "Unit")]
[Collection(MemoryMeasurementGroup.Name)]
public sealed class ConnectionTrackerMemoryTests
{
    private static readonly TimeSpan LeakTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReclaimInterval = LeakTimeout / 4;

    private readonly FakeTimeProvider _time = new();
    private readonly ConnectionTracker _tracker;

    public ConnectionTrackerMemoryTests()
    {
        _tracker = new ConnectionTracker(_time, LeakTimeout);
    }

    [Fact]
    public void StartFinish_HundredThousandCyclesWithPeriodicReclaim_MemoryUnderOneMegabyteCountsZero()
    {
        var view = TestViews.Ids(_tracker, "a", "b", "c");
        var policy = new LeastConnectionsPolicy();
        var leaked = 0;

        // Warm up JIT and the first epoch buckets before measuring.
        _tracker.FinishConnection(_tracker.StartConnection(view.Backends[0]));
        _tracker.Reclaim();

        var totalBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            var lease = _tracker.StartConnection(policy.Pick(view).Backend!);
            if (i % 1000 == 999)
            {
                leaked++;
            }
            else
            {
                _tracker.FinishConnection(lease);
            }

            if (i % 1000 == 0)
            {
                _time.Advance(ReclaimInterval / 4);
                _tracker.Reclaim();
                Assert.InRange(view.Backends.Sum(backend => backend.Counter.Active), 0, leaked);
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var growth = GC.GetTotalMemory(forceFullCollection: true) - totalBefore;

        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
        Assert.True(growth < 1_000_000, $"heap grew {growth} bytes");
        AdvanceReclaiming(LeakTimeout * 2);
        Assert.All(view.Backends, backend => Assert.Equal(0, backend.Counter.Active));
        Assert.Equal(leaked, _tracker.ReclaimedTotal);
    }

    /// <summary>Moves the clock forward in steps no longer than the reclaim interval, reclaiming after each, as the node's timer does.</summary>
    private void AdvanceReclaiming(TimeSpan by)
    {
        while (by > TimeSpan.Zero)
        {
            var next = by < ReclaimInterval ? by : ReclaimInterval;
            _time.Advance(next);
            _tracker.Reclaim();
            by -= next;
        }
    }
}
