namespace RaftBalancer.Core.Tests.Balancing;

[Trait("Category", "Unit")]
public sealed class RoundRobinPolicyTests
{
    [Fact]
    public void Pick_ThreeBackends_StrictOrderThenWraps()
    {
        var view = TestViews.Ids("a", "b", "c");

        Assert.Equal(["a", "b", "c", "a", "b", "c", "a"], TestViews.PickIds(new RoundRobinPolicy(), view, 7));
    }

    [Fact]
    public void Pick_SingleBackend_AlwaysReturned()
    {
        var view = TestViews.Ids("only");

        Assert.All(TestViews.PickIds(new RoundRobinPolicy(), view, 50), id => Assert.Equal("only", id));
    }

    [Fact]
    public void Pick_NoBackends_NoHealthyBackendsNotException()
    {
        var result = new RoundRobinPolicy().Pick(RoutingView.Empty);

        Assert.False(result.IsSuccess);
        Assert.Equal(PickOutcome.NoHealthyBackends, result.Outcome);
        Assert.Null(result.Backend);
        Assert.Equal(PickResult.NoHealthyBackends, result);
    }

    [Fact]
    public void Pick_OnlyDrainingOrZeroWeight_NoHealthyBackends()
    {
        var tracker = TestViews.NewTracker();
        var view = new RoutingView(1,
        [
            new RoutableBackend(TestViews.Definition("a", draining: true), tracker.GetOrAdd("a")),
            new RoutableBackend(TestViews.Definition("b", weight: 0), tracker.GetOrAdd("b")),
        ]);

        Assert.Equal(PickOutcome.NoHealthyBackends, new RoundRobinPolicy().Pick(view).Outcome);
    }

    [Fact]
    public void Pick_DrainingBackendInMiddle_SkippedInRotation()
    {
        var tracker = TestViews.NewTracker();
        var view = new RoutingView(1,
        [
            new RoutableBackend(TestViews.Definition("a"), tracker.GetOrAdd("a")),
            new RoutableBackend(TestViews.Definition("b", draining: true), tracker.GetOrAdd("b")),
            new RoutableBackend(TestViews.Definition("c"), tracker.GetOrAdd("c")),
        ]);

        Assert.Equal(["a", "c", "a", "c"], TestViews.PickIds(new RoundRobinPolicy(), view, 4));
    }

    [Fact]
    public void Pick_ViewSwapped_RotationContinues()
    {
        var policy = new RoundRobinPolicy();
        var tracker = TestViews.NewTracker();
        var first = TestViews.Ids(tracker, "a", "b", "c");
        var second = TestViews.Ids(tracker, "a", "b", "c", "d");

        TestViews.PickIds(policy, first, 2);

        Assert.Equal(["c", "d", "a"], TestViews.PickIds(policy, second, 3));
    }

    [Fact]
    public void Pick_HundredConcurrentWorkersTenPicksTwoBackends_EachWithinTenPercentOfHalf()
    {
        const int Workers = 100;
        const int PicksPerWorker = 10;
        var policy = new RoundRobinPolicy();
        var view = TestViews.Ids("a", "b");
        var counts = new int[2];
        using var start = new Barrier(Workers);

        var threads = Enumerable.Range(0, Workers).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PicksPerWorker; i++)
            {
                var result = policy.Pick(view);
                Interlocked.Increment(ref counts[result.Backend!.Id == "a" ? 0 : 1]);
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Equal(Workers * PicksPerWorker, counts.Sum());
        Assert.InRange(counts[0], 450, 550);
        Assert.InRange(counts[1], 450, 550);
    }

    [Fact]
    public void Name_IsRoundRobin()
    {
        Assert.Equal(BalancingPolicyNames.RoundRobin, new RoundRobinPolicy().Name);
    }
}
