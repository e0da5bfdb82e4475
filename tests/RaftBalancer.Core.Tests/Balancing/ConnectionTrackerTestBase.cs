namespace RaftBalancer.Core.Tests.Balancing;

/// <summary>
/// What the connection tracker tests share: a tracker with a 60 s leak timeout on a fake clock, and the node's reclaim
/// timer played by hand (<see cref="AdvanceReclaiming"/>). Each test gets its own (xUnit makes one instance per test).
/// </summary>
public abstract class ConnectionTrackerTestBase
{
    protected static readonly TimeSpan LeakTimeout = TimeSpan.FromSeconds(60);
    protected static readonly TimeSpan ReclaimInterval = LeakTimeout / 4;

    protected ConnectionTrackerTestBase()
    {
        Tracker = new ConnectionTracker(Time, LeakTimeout);
    }

    protected FakeTimeProvider Time { get; } = new();

    protected ConnectionTracker Tracker { get; }

    /// <summary>Moves the clock forward in steps no longer than the reclaim interval, reclaiming after each, as the node's timer does.</summary>
    protected void AdvanceReclaiming(TimeSpan by, TimeSpan? step = null)
    {
        var stride = step ?? ReclaimInterval;
        while (by > TimeSpan.Zero)
        {
            var next = by < stride ? by : stride;
            Time.Advance(next);
            Tracker.Reclaim();
            by -= next;
        }
    }
}
