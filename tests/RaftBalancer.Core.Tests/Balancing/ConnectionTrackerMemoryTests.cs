namespace RaftBalancer.Core.Tests.Balancing;

/// <summary>The tracker's memory bound, measured with <see cref="GC.GetTotalMemory(bool)"/>.</summary>
/// <remarks>
/// The heap is process-wide: measured while other test classes run in parallel it counts their allocations too
/// (seen as "heap grew 1069736 bytes" on a loaded 2-core box). So this class runs in
/// <see cref="MemoryMeasurementGroup"/>, alone, after the parallel tests.
/// </remarks>
[Trait("Category", "Unit")]
[Collection(MemoryMeasurementGroup.Name)]
public sealed class ConnectionTrackerMemoryTests : ConnectionTrackerTestBase
{
    [Fact]
    public void StartFinish_HundredThousandCyclesWithPeriodicReclaim_MemoryUnderOneMegabyteCountsZero()
    {
        var view = TestViews.Ids(Tracker, "a", "b", "c");
        var policy = new LeastConnectionsPolicy();
        var leaked = 0;

        // Warm up JIT and the first epoch buckets before measuring.
        Tracker.FinishConnection(Tracker.StartConnection(view.Backends[0]));
        Tracker.Reclaim();

        var totalBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            var lease = Tracker.StartConnection(policy.Pick(view).Backend!);
            if (i % 1000 == 999)
            {
                leaked++;
            }
            else
            {
                Tracker.FinishConnection(lease);
            }

            if (i % 1000 == 0)
            {
                Time.Advance(ReclaimInterval / 4);
                Tracker.Reclaim();
                Assert.InRange(view.Backends.Sum(backend => backend.Counter.Active), 0, leaked);
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var growth = GC.GetTotalMemory(forceFullCollection: true) - totalBefore;

        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
        Assert.True(growth < 1_000_000, $"heap grew {growth} bytes");
        AdvanceReclaiming(LeakTimeout * 2);
        Assert.All(view.Backends, backend => Assert.Equal(0, backend.Counter.Active));
        Assert.Equal(leaked, Tracker.ReclaimedTotal);
    }
}
