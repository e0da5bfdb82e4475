namespace RaftBalancer.Core.Tests.Balancing;

[Trait("Category", "Unit")]
public sealed class ConnectionTrackerTests : ConnectionTrackerTestBase
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Ctor_NonPositiveLeakTimeout_ThrowsNamingLeakTimeout(int seconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionTracker(Time, TimeSpan.FromSeconds(seconds)));

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
        var tracker = new ConnectionTracker(Time, TimeSpan.FromTicks(1));
        tracker.StartConnection(tracker.GetOrAdd("a"));

        Time.Advance(TimeSpan.FromTicks(1));
        tracker.Reclaim();
        for (var i = 0; i < 8; i++)
        {
            Time.Advance(TimeSpan.FromTicks(1));
            tracker.Reclaim();
        }

        Assert.Equal(TimeSpan.FromTicks(1), tracker.LeakTimeout);
        Assert.Equal(0, tracker.GetOrAdd("a").Active);
        Assert.Equal(1, tracker.ReclaimedTotal);
    }

    [Fact]
    public void GetOrAdd_SameId_SameCounter()
    {
        var counter = Tracker.GetOrAdd("a");

        Assert.Same(counter, Tracker.GetOrAdd("a"));
        Assert.NotSame(counter, Tracker.GetOrAdd("b"));
        Assert.Equal("a", counter.BackendId);
        Assert.Equal(0, counter.Active);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void GetOrAdd_EmptyId_Throws(string? id)
    {
        Assert.ThrowsAny<ArgumentException>(() => Tracker.GetOrAdd(id!));
    }

    [Fact]
    public void Remove_KnownId_ForgetsCounterAndLateFinishIsHarmless()
    {
        var (counter, lease) = StartOneOnA();

        Assert.True(Tracker.Remove("a"));
        Assert.False(Tracker.Remove("a"));
        Assert.Empty(Tracker.Snapshot());

        Tracker.FinishConnection(lease);
        Assert.Equal(0, counter.Active);
        Assert.NotSame(counter, Tracker.GetOrAdd("a"));
    }

    [Fact]
    public void StartConnection_RoutableBackend_CountsOnItsCounter()
    {
        var view = TestViews.Ids(Tracker, "a", "b");

        var lease = Tracker.StartConnection(view.Backends[1]);

        Assert.Same(view.Backends[1].Counter, lease.Counter);
        Assert.Equal(1, view.Backends[1].Counter.Active);
        Assert.Equal(0, view.Backends[0].Counter.Active);
    }

    [Fact]
    public void StartFinish_Balanced_CountBackToZero()
    {
        var counter = Tracker.GetOrAdd("a");
        var leases = Enumerable.Range(0, 5).Select(_ => Tracker.StartConnection(counter)).ToList();

        Assert.Equal(5, counter.Active);
        FinishAllAndAssertNoneActiveNoneReclaimed(counter, leases);
    }

    [Fact]
    public void StartFinish_SpanningEpochs_CountBackToZeroWithoutReclaim()
    {
        var counter = Tracker.GetOrAdd("a");
        var leases = new List<ConnectionLease>();
        for (var i = 0; i < 6; i++)
        {
            leases.Add(Tracker.StartConnection(counter));
            AdvanceReclaiming(LeakTimeout / 8);
        }

        FinishAllAndAssertNoneActiveNoneReclaimed(counter, leases);
    }

    [Fact]
    public void Reclaim_TenLeakedStartsPastLeakTimeout_CountZeroReclaimedTen()
    {
        var counter = Tracker.GetOrAdd("a");
        for (var i = 0; i < 10; i++)
        {
            Tracker.StartConnection(counter);
        }

        AdvanceReclaiming(LeakTimeout);
        Assert.Equal(10, counter.Active);

        AdvanceReclaiming(LeakTimeout);

        Assert.Equal(0, counter.Active);
        Assert.Equal(10, Tracker.ReclaimedTotal);
        Assert.Equal(0, Tracker.Snapshot()["a"]);
    }

    [Fact]
    public void Reclaim_ReturnsCountReclaimedByThatCall()
    {
        var counter = Tracker.GetOrAdd("a");
        Tracker.StartConnection(counter);
        Tracker.StartConnection(counter);

        long reclaimed = 0;
        for (var i = 0; i < 12; i++)
        {
            Time.Advance(ReclaimInterval);
            reclaimed += Tracker.Reclaim();
        }

        Assert.Equal(2, reclaimed);
        Assert.Equal(2, Tracker.ReclaimedTotal);
    }

    [Fact]
    public void Reclaim_StartsYoungerThanTimeout_NeverReclaimed()
    {
        var counter = Tracker.GetOrAdd("a");
        Tracker.StartConnection(counter);
        AdvanceReclaiming(LeakTimeout / 2);
        var youngStartedAt = Time.GetUtcNow();
        for (var i = 0; i < 3; i++)
        {
            Tracker.StartConnection(counter);
        }

        // Walk in small steps: every step the three young starts are younger than the timeout and must stay counted.
        var step = TimeSpan.FromSeconds(1);
        while (Time.GetUtcNow() - youngStartedAt + step < LeakTimeout)
        {
            AdvanceReclaiming(step);
            Assert.True(counter.Active >= 3, $"count {counter.Active} fell below the 3 young starts at age {Time.GetUtcNow() - youngStartedAt}");
        }

        AdvanceReclaiming(LeakTimeout * 2);
        Assert.Equal(0, counter.Active);
        Assert.Equal(4, Tracker.ReclaimedTotal);
    }

    [Fact]
    public void Reclaim_StartJustAfterEpochBoundaryBeforeReclaimRuns_NotReclaimedBeforeTimeout()
    {
        // The epoch only advances inside Reclaim, so a start can be stamped with the previous epoch when the
        // timer has not fired yet since the boundary passed. It must still survive a full leak timeout.
        var counter = Tracker.GetOrAdd("a");
        var almostQuarter = ReclaimInterval - TimeSpan.FromSeconds(1);
        Time.Advance(almostQuarter);
        Tracker.Reclaim();
        Time.Advance(almostQuarter);
        var startedAt = Time.GetUtcNow();
        Tracker.StartConnection(counter);
        Tracker.Reclaim();

        while (Time.GetUtcNow() - startedAt + almostQuarter < LeakTimeout)
        {
            Time.Advance(almostQuarter);
            Tracker.Reclaim();
            Assert.True(counter.Active == 1, $"reclaimed at age {Time.GetUtcNow() - startedAt}, younger than {LeakTimeout}");
        }
    }

    [Fact]
    public void Reclaim_MixedLeakedAndActive_OnlyLeakedReclaimed()
    {
        var counter = Tracker.GetOrAdd("a");
        for (var i = 0; i < 10; i++)
        {
            Tracker.StartConnection(counter);
        }

        AdvanceReclaiming(LeakTimeout * 1.5);
        var live = Tracker.StartConnection(counter);
        AdvanceReclaiming(LeakTimeout / 2);

        Assert.Equal(1, counter.Active);
        Assert.Equal(10, Tracker.ReclaimedTotal);
        Tracker.FinishConnection(live);
        Assert.Equal(0, counter.Active);
    }

    [Fact]
    public void FinishConnection_AfterReclaim_DoesNotGoNegative()
    {
        var (counter, leaked) = StartOneOnA();
        AdvanceReclaiming(LeakTimeout * 2);
        Assert.Equal(0, counter.Active);

        Tracker.FinishConnection(leaked);
        Tracker.FinishConnection(leaked);

        Assert.Equal(0, counter.Active);
        Assert.Equal(1, Tracker.ReclaimedTotal);
    }

    [Fact]
    public void FinishConnection_ReclaimedLeaseSharingBucketWithLiveOne_LiveOneStaysCounted()
    {
        var (counter, leaked) = StartOneOnA();

        // Walk far enough for the epoch ring to wrap, so the new start lands in the leaked start's bucket.
        ConnectionLease live;
        do
        {
            AdvanceReclaiming(ReclaimInterval, ReclaimInterval);
            live = Tracker.StartConnection(counter);
            if ((live.Epoch & (ConnectionCounter.BucketCount - 1)) != (leaked.Epoch & (ConnectionCounter.BucketCount - 1)) || live.Epoch == leaked.Epoch)
            {
                Tracker.FinishConnection(live);
                continue;
            }

            break;
        }
        while (true);

        Tracker.FinishConnection(leaked);

        Assert.Equal(1, counter.Active);
        Tracker.FinishConnection(live);
        Assert.Equal(0, counter.Active);
    }

    [Fact]
    public void FinishConnection_SameLeaseTwice_NeverNegative()
    {
        var (counter, lease) = StartOneOnA();

        Tracker.FinishConnection(lease);
        Tracker.FinishConnection(lease);

        Assert.Equal(0, counter.Active);
    }

    [Fact]
    public void FinishConnection_DefaultLease_NoOp()
    {
        var counter = Tracker.GetOrAdd("a");
        Tracker.StartConnection(counter);

        Tracker.FinishConnection(default);

        Assert.Equal(1, counter.Active);
        Assert.Null(default(ConnectionLease).Counter);
    }

    [Fact]
    public void Reclaim_ClockJumpsFarWithoutTimer_NeverNegative()
    {
        var counter = Tracker.GetOrAdd("a");
        var leases = Enumerable.Range(0, 4).Select(_ => Tracker.StartConnection(counter)).ToList();

        Time.Advance(LeakTimeout * 10);
        Tracker.Reclaim();
        leases.Add(Tracker.StartConnection(counter));
        Time.Advance(LeakTimeout * 3);
        Tracker.Reclaim();
        Tracker.Reclaim();
        leases.ForEach(lease => Tracker.FinishConnection(lease));

        Assert.InRange(counter.Active, 0, 5);
        AdvanceReclaiming(LeakTimeout * 3);
        Assert.Equal(0, counter.Active);
    }

    [Fact]
    public void Snapshot_SeveralBackends_CopyOfCounts()
    {
        var a = Tracker.GetOrAdd("a");
        Tracker.GetOrAdd("b");
        Tracker.StartConnection(a);
        Tracker.StartConnection(a);

        var snapshot = Tracker.Snapshot();
        Tracker.StartConnection(a);

        Assert.Equal(2, snapshot["a"]);
        Assert.Equal(0, snapshot["b"]);
        Assert.Equal(3, a.Active);
    }

    [Fact]
    public void ConnectionLease_Equality_ByCounterAndEpoch()
    {
        var a = Tracker.GetOrAdd("a");
        var first = Tracker.StartConnection(a);
        var second = Tracker.StartConnection(a);
        var other = Tracker.StartConnection(Tracker.GetOrAdd("b"));
        AdvanceReclaiming(ReclaimInterval * 2);
        var later = Tracker.StartConnection(a);

        Assert.True(first == second);
        Assert.True(first.Equals((object)second));
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.True(first != other);
        Assert.True(first != later);
        Assert.False(first.Equals("lease"));
        Assert.True(default(ConnectionLease) == default);
    }

    private void FinishAllAndAssertNoneActiveNoneReclaimed(ConnectionCounter counter, List<ConnectionLease> leases)
    {
        leases.ForEach(lease => Tracker.FinishConnection(lease));

        Assert.Equal(0, counter.Active);
        Assert.Equal(0, Tracker.ReclaimedTotal);
    }

    /// <summary>Backend a's counter, with one connection started on it.</summary>
    private (ConnectionCounter Counter, ConnectionLease Lease) StartOneOnA()
    {
        var counter = Tracker.GetOrAdd("a");
        return (counter, Tracker.StartConnection(counter));
    }
}
