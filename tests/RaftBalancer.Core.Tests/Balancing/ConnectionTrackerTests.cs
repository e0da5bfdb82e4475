namespace RaftBalancer.Core.Tests.Balancing;

[Trait("Category", "Unit")]
public sealed class ConnectionTrackerTests
{
    private static readonly TimeSpan LeakTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReclaimInterval = LeakTimeout / 4;

    private readonly FakeTimeProvider _time = new();
    private readonly ConnectionTracker _tracker;

    public ConnectionTrackerTests()
    {
        _tracker = new ConnectionTracker(_time, LeakTimeout);
    }

    /// <summary>Moves the clock forward in steps no longer than the reclaim interval, reclaiming after each, as the node's timer does.</summary>
    private void AdvanceReclaiming(TimeSpan by, TimeSpan? step = null)
    {
        var stride = step ?? ReclaimInterval;
        while (by > TimeSpan.Zero)
        {
            var next = by < stride ? by : stride;
            _time.Advance(next);
            _tracker.Reclaim();
            by -= next;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Ctor_NonPositiveLeakTimeout_ThrowsNamingLeakTimeout(int seconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionTracker(_time, TimeSpan.FromSeconds(seconds)));

        Assert.Equal("leakTimeout", ex.ParamName);
        Assert.Contains("leakTimeout must be positive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_NullTimeProvider_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new ConnectionTracker(null!, LeakTimeout));
    }

    [Fact]
    public void Ctor_TinyLeakTimeout_Works()
    {
        var tracker = new ConnectionTracker(_time, TimeSpan.FromTicks(1));
        tracker.StartConnection(tracker.GetOrAdd("a"));

        _time.Advance(TimeSpan.FromTicks(1));
        tracker.Reclaim();
        for (var i = 0; i < 8; i++)
        {
            _time.Advance(TimeSpan.FromTicks(1));
            tracker.Reclaim();
        }

        Assert.Equal(TimeSpan.FromTicks(1), tracker.LeakTimeout);
        Assert.Equal(0, tracker.GetOrAdd("a").Active);
        Assert.Equal(1, tracker.ReclaimedTotal);
    }

    [Fact]
    public void GetOrAdd_SameId_SameCounter()
    {
        var counter = _tracker.GetOrAdd("a");

        Assert.Same(counter, _tracker.GetOrAdd("a"));
        Assert.NotSame(counter, _tracker.GetOrAdd("b"));
        Assert.Equal("a", counter.BackendId);
        Assert.Equal(0, counter.Active);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void GetOrAdd_EmptyId_Throws(string? id)
    {
        Assert.ThrowsAny<ArgumentException>(() => _tracker.GetOrAdd(id!));
    }

    [Fact]
    public void Remove_KnownId_ForgetsCounterAndLateFinishIsHarmless()
    {
        var counter = _tracker.GetOrAdd("a");
        var lease = _tracker.StartConnection(counter);

        Assert.True(_tracker.Remove("a"));
        Assert.False(_tracker.Remove("a"));
        Assert.Empty(_tracker.Snapshot());

        _tracker.FinishConnection(lease);
        Assert.Equal(0, counter.Active);
        Assert.NotSame(counter, _tracker.GetOrAdd("a"));
    }

    [Fact]
    public void StartConnection_RoutableBackend_CountsOnItsCounter()
    {
        var view = TestViews.Ids(_tracker, "a", "b");

        var lease = _tracker.StartConnection(view.Backends[1]);

        Assert.Same(view.Backends[1].Counter, lease.Counter);
        Assert.Equal(1, view.Backends[1].Counter.Active);
        Assert.Equal(0, view.Backends[0].Counter.Active);
    }

    [Fact]
    public void StartFinish_Balanced_CountBackToZero()
    {
        var counter = _tracker.GetOrAdd("a");
        var leases = Enumerable.Range(0, 5).Select(_ => _tracker.StartConnection(counter)).ToList();

        Assert.Equal(5, counter.Active);
        leases.ForEach(lease => _tracker.FinishConnection(lease));

        Assert.Equal(0, counter.Active);
        Assert.Equal(0, _tracker.ReclaimedTotal);
    }

    [Fact]
    public void StartFinish_SpanningEpochs_CountBackToZeroWithoutReclaim()
    {
        var counter = _tracker.GetOrAdd("a");
        var leases = new List<ConnectionLease>();
        for (var i = 0; i < 6; i++)
        {
            leases.Add(_tracker.StartConnection(counter));
            AdvanceReclaiming(LeakTimeout / 8);
        }

        leases.ForEach(lease => _tracker.FinishConnection(lease));

        Assert.Equal(0, counter.Active);
        Assert.Equal(0, _tracker.ReclaimedTotal);
    }

    [Fact]
    public void Reclaim_TenLeakedStartsPastLeakTimeout_CountZeroReclaimedTen()
    {
        var counter = _tracker.GetOrAdd("a");
        for (var i = 0; i < 10; i++)
        {
            _tracker.StartConnection(counter);
        }

        AdvanceReclaiming(LeakTimeout);
        Assert.Equal(10, counter.Active);

        AdvanceReclaiming(LeakTimeout);

        Assert.Equal(0, counter.Active);
        Assert.Equal(10, _tracker.ReclaimedTotal);
        Assert.Equal(0, _tracker.Snapshot()["a"]);
    }

    [Fact]
    public void Reclaim_ReturnsCountReclaimedByThatCall()
    {
        var counter = _tracker.GetOrAdd("a");
        _tracker.StartConnection(counter);
        _tracker.StartConnection(counter);

        long reclaimed = 0;
        for (var i = 0; i < 12; i++)
        {
            _time.Advance(ReclaimInterval);
            reclaimed += _tracker.Reclaim();
        }

        Assert.Equal(2, reclaimed);
        Assert.Equal(2, _tracker.ReclaimedTotal);
    }

    [Fact]
    public void Reclaim_StartsYoungerThanTimeout_NeverReclaimed()
    {
        var counter = _tracker.GetOrAdd("a");
        _tracker.StartConnection(counter);
        AdvanceReclaiming(LeakTimeout / 2);
        var youngStartedAt = _time.GetUtcNow();
        for (var i = 0; i < 3; i++)
        {
            _tracker.StartConnection(counter);
        }

        // Walk in small steps: every step the three young starts are younger than the timeout and must stay counted.
        var step = TimeSpan.FromSeconds(1);
        while (_time.GetUtcNow() - youngStartedAt + step < LeakTimeout)
        {
            AdvanceReclaiming(step);
            Assert.True(counter.Active >= 3, $"count {counter.Active} fell below the 3 young starts at age {_time.GetUtcNow() - youngStartedAt}");
        }

        AdvanceReclaiming(LeakTimeout * 2);
        Assert.Equal(0, counter.Active);
        Assert.Equal(4, _tracker.ReclaimedTotal);
    }

    [Fact]
    public void Reclaim_StartJustAfterEpochBoundaryBeforeReclaimRuns_NotReclaimedBeforeTimeout()
    {
        // The epoch only advances inside Reclaim, so a start can be stamped with the previous epoch when the
        // timer has not fired yet since the boundary passed. It must still survive a full leak timeout.
        var counter = _tracker.GetOrAdd("a");
        var almostQuarter = ReclaimInterval - TimeSpan.FromSeconds(1);
        _time.Advance(almostQuarter);
        _tracker.Reclaim();
        _time.Advance(almostQuarter);
        var startedAt = _time.GetUtcNow();
        _tracker.StartConnection(counter);
        _tracker.Reclaim();

        while (_time.GetUtcNow() - startedAt + almostQuarter < LeakTimeout)
        {
            _time.Advance(almostQuarter);
            _tracker.Reclaim();
            Assert.True(counter.Active == 1, $"reclaimed at age {_time.GetUtcNow() - startedAt}, younger than {LeakTimeout}");
        }
    }

    [Fact]
    public void Reclaim_MixedLeakedAndActive_OnlyLeakedReclaimed()
    {
        var counter = _tracker.GetOrAdd("a");
        for (var i = 0; i < 10; i++)
        {
            _tracker.StartConnection(counter);
        }

        AdvanceReclaiming(LeakTimeout * 1.5);
        var live = _tracker.StartConnection(counter);
        AdvanceReclaiming(LeakTimeout / 2);

        Assert.Equal(1, counter.Active);
        Assert.Equal(10, _tracker.ReclaimedTotal);
        _tracker.FinishConnection(live);
        Assert.Equal(0, counter.Active);
    }

    [Fact]
    public void FinishConnection_AfterReclaim_DoesNotGoNegative()
    {
        var counter = _tracker.GetOrAdd("a");
        var leaked = _tracker.StartConnection(counter);
        AdvanceReclaiming(LeakTimeout * 2);
        Assert.Equal(0, counter.Active);

        _tracker.FinishConnection(leaked);
        _tracker.FinishConnection(leaked);

        Assert.Equal(0, counter.Active);
        Assert.Equal(1, _tracker.ReclaimedTotal);
    }

    [Fact]
    public void FinishConnection_ReclaimedLeaseSharingBucketWithLiveOne_LiveOneStaysCounted()
    {
        var counter = _tracker.GetOrAdd("a");
        var leaked = _tracker.StartConnection(counter);

        // Walk far enough for the epoch ring to wrap, so the new start lands in the leaked start's bucket.
        ConnectionLease live;
        do
        {
            AdvanceReclaiming(ReclaimInterval, ReclaimInterval);
            live = _tracker.StartConnection(counter);
            if ((live.Epoch & (ConnectionCounter.BucketCount - 1)) != (leaked.Epoch & (ConnectionCounter.BucketCount - 1)) || live.Epoch == leaked.Epoch)
            {
                _tracker.FinishConnection(live);
                continue;
            }

            break;
        }
        while (true);

        _tracker.FinishConnection(leaked);

        Assert.Equal(1, counter.Active);
        _tracker.FinishConnection(live);
        Assert.Equal(0, counter.Active);
    }

    [Fact]
    public void FinishConnection_SameLeaseTwice_NeverNegative()
    {
        var counter = _tracker.GetOrAdd("a");
        var lease = _tracker.StartConnection(counter);

        _tracker.FinishConnection(lease);
        _tracker.FinishConnection(lease);

        Assert.Equal(0, counter.Active);
    }

    [Fact]
    public void FinishConnection_DefaultLease_NoOp()
    {
        var counter = _tracker.GetOrAdd("a");
        _tracker.StartConnection(counter);

        _tracker.FinishConnection(default);

        Assert.Equal(1, counter.Active);
        Assert.Null(default(ConnectionLease).Counter);
    }

    [Fact]
    public void Reclaim_ClockJumpsFarWithoutTimer_NeverNegative()
    {
        var counter = _tracker.GetOrAdd("a");
        var leases = Enumerable.Range(0, 4).Select(_ => _tracker.StartConnection(counter)).ToList();

        _time.Advance(LeakTimeout * 10);
        _tracker.Reclaim();
        leases.Add(_tracker.StartConnection(counter));
        _time.Advance(LeakTimeout * 3);
        _tracker.Reclaim();
        _tracker.Reclaim();
        leases.ForEach(lease => _tracker.FinishConnection(lease));

        Assert.InRange(counter.Active, 0, 5);
        AdvanceReclaiming(LeakTimeout * 3);
        Assert.Equal(0, counter.Active);
    }

    [Fact]
    public void Snapshot_SeveralBackends_CopyOfCounts()
    {
        var a = _tracker.GetOrAdd("a");
        _tracker.GetOrAdd("b");
        _tracker.StartConnection(a);
        _tracker.StartConnection(a);

        var snapshot = _tracker.Snapshot();
        _tracker.StartConnection(a);

        Assert.Equal(2, snapshot["a"]);
        Assert.Equal(0, snapshot["b"]);
        Assert.Equal(3, a.Active);
    }

    [Fact]
    public void ConnectionLease_Equality_ByCounterAndEpoch()
    {
        var a = _tracker.GetOrAdd("a");
        var first = _tracker.StartConnection(a);
        var second = _tracker.StartConnection(a);
        var other = _tracker.StartConnection(_tracker.GetOrAdd("b"));
        AdvanceReclaiming(ReclaimInterval * 2);
        var later = _tracker.StartConnection(a);

        Assert.True(first == second);
        Assert.True(first.Equals((object)second));
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.True(first != other);
        Assert.True(first != later);
        Assert.False(first.Equals("lease"));
        Assert.True(default(ConnectionLease) == default);
    }
}
