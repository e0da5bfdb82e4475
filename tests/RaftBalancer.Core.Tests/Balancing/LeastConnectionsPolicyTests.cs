namespace RaftBalancer.Core.Tests.Balancing;

[Trait("Category", "Unit")]
public sealed class LeastConnectionsPolicyTests
{
    private readonly ConnectionTracker _tracker = TestViews.NewTracker();
    private readonly LeastConnectionsPolicy _policy = new();

    private RoutableBackend PickAndStart(RoutingView view, List<ConnectionLease>? leases = null)
    {
        var result = _policy.Pick(view);
        Assert.True(result.IsSuccess);
        var lease = _tracker.StartConnection(result.Backend);
        leases?.Add(lease);
        return result.Backend;
    }

    [Fact]
    public void Pick_FirstThreePicksWithStarts_ThreeDifferentBackends()
    {
        var view = TestViews.Ids(_tracker, "a", "b", "c");

        var picked = Enumerable.Range(0, 3).Select(_ => PickAndStart(view).Id).ToList();

        Assert.Equal(3, picked.Distinct().Count());
        Assert.All(view.Backends, backend => Assert.Equal(1, backend.Counter.Active));
    }

    [Fact]
    public void Pick_TwoStartedOnA_NextPickIsNotA()
    {
        var view = TestViews.Ids(_tracker, "a", "b");
        var a = view.Find("a")!;
        _tracker.StartConnection(a);
        _tracker.StartConnection(a);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("b", _policy.Pick(view).Backend!.Id);
        }
    }

    [Fact]
    public void FinishConnection_OneOfTwo_CountsReportedOneAndZero()
    {
        var view = TestViews.Ids(_tracker, "a", "b");
        var first = _tracker.StartConnection(view.Find("a")!);
        var second = _tracker.StartConnection(view.Find("b")!);

        _tracker.FinishConnection(second);

        Assert.Equal(1, view.Find("a")!.Counter.Active);
        Assert.Equal(0, view.Find("b")!.Counter.Active);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 0 }, _tracker.Snapshot());
        _tracker.FinishConnection(first);
        Assert.All(_tracker.Snapshot().Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public void Pick_FollowsCounts_AfterFinishPicksFreedBackend()
    {
        var view = TestViews.Ids(_tracker, "a", "b", "c");
        var leases = new List<ConnectionLease>();
        for (var i = 0; i < 6; i++)
        {
            PickAndStart(view, leases);
        }

        Assert.All(view.Backends, backend => Assert.Equal(2, backend.Counter.Active));

        var freed = leases.First(lease => lease.Counter!.BackendId == "b");
        _tracker.FinishConnection(freed);

        Assert.Equal("b", _policy.Pick(view).Backend!.Id);
        Assert.Equal("b", _policy.Pick(view).Backend!.Id);
    }

    [Fact]
    public void Pick_HighRemoteCount_BackendAvoided()
    {
        var view = TestViews.WithRemote(_tracker, 50, 0, 3);

        var picks = Enumerable.Range(0, 6).Select(_ => PickAndStart(view).Id).ToList();

        Assert.DoesNotContain("b0", picks);
        Assert.Equal(["b1", "b1", "b1"], picks.Take(3));
        Assert.InRange(Math.Abs(view.Find("b1")!.Load - view.Find("b2")!.Load), 0, 1);
        Assert.Equal(50, view.Find("b0")!.Load);
    }

    [Fact]
    public void Pick_RemoteCountsOnly_LoadSumsLocalAndRemote()
    {
        var view = TestViews.WithRemote(_tracker, 2, 0);
        var b1 = view.Find("b1")!;
        _tracker.StartConnection(b1);
        _tracker.StartConnection(b1);
        _tracker.StartConnection(b1);

        Assert.Equal(3, b1.Load);
        Assert.Equal("b0", _policy.Pick(view).Backend!.Id);
    }

    [Fact]
    public void Pick_AllTied_RotatesLikeRoundRobin()
    {
        var view = TestViews.Ids(_tracker, "a", "b", "c");

        Assert.Equal(["a", "b", "c", "a", "b", "c"], TestViews.PickIds(_policy, view, 6));
    }

    [Fact]
    public void Pick_TiedAtNonZeroLoad_RotatesAmongTied()
    {
        var view = TestViews.WithRemote(_tracker, 4, 4, 9, 4);

        var picks = TestViews.PickIds(_policy, view, 8);

        Assert.DoesNotContain("b2", picks);
        Assert.Equal(3, picks.Take(3).Distinct().Count());
    }

    [Fact]
    public void Pick_NoBackends_NoHealthyBackends()
    {
        Assert.Equal(PickOutcome.NoHealthyBackends, _policy.Pick(RoutingView.Empty).Outcome);
    }

    [Fact]
    public void Pick_DrainingBackendIdle_NotPicked()
    {
        var view = new RoutingView(1,
        [
            new RoutableBackend(TestViews.Definition("a", draining: true), _tracker.GetOrAdd("a")),
            new RoutableBackend(TestViews.Definition("b"), _tracker.GetOrAdd("b"), remoteActive: 100),
        ]);

        Assert.Equal("b", _policy.Pick(view).Backend!.Id);
    }

    [Fact]
    public void Name_IsLeastConnections()
    {
        Assert.Equal(BalancingPolicyNames.LeastConnections, _policy.Name);
    }
}
