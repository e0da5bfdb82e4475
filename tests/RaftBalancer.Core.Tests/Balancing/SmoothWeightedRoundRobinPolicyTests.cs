namespace RaftBalancer.Core.Tests.Balancing;

[Trait("Category", "Unit")]
public sealed class SmoothWeightedRoundRobinPolicyTests
{
    private static Dictionary<string, int> Tally(IEnumerable<string> ids) =>
        ids.GroupBy(id => id).ToDictionary(group => group.Key, group => group.Count());

    [Fact]
    public void Pick_Weights312Over600Picks_Exactly300100200()
    {
        var tally = Tally(TestViews.PickIds(new SmoothWeightedRoundRobinPolicy(), TestViews.Weighted(3, 1, 2), 600));

        Assert.Equal(300, tally["b0"]);
        Assert.Equal(100, tally["b1"]);
        Assert.Equal(200, tally["b2"]);
    }

    [Fact]
    public void Pick_Weights511_NginxSequence()
    {
        var tracker = TestViews.NewTracker();
        var view = new RoutingView(1,
        [
            new RoutableBackend(TestViews.Definition("a", 5), tracker.GetOrAdd("a")),
            new RoutableBackend(TestViews.Definition("b", 1), tracker.GetOrAdd("b")),
            new RoutableBackend(TestViews.Definition("c", 1), tracker.GetOrAdd("c")),
        ]);

        Assert.Equal(
            ["a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a"],
            TestViews.PickIds(new SmoothWeightedRoundRobinPolicy(), view, 14));
    }

    [Fact]
    public void Pick_ZeroWeightBackend_NeverPicked()
    {
        var tally = Tally(TestViews.PickIds(new SmoothWeightedRoundRobinPolicy(), TestViews.Weighted(0, 2, 1), 100));

        Assert.False(tally.ContainsKey("b0"));
        Assert.Equal(100, tally["b1"] + tally["b2"]);
        Assert.InRange(tally["b1"], 66, 67);
    }

    [Fact]
    public void Pick_EqualWeights_BehavesLikeRoundRobin()
    {
        var weighted = TestViews.PickIds(new SmoothWeightedRoundRobinPolicy(), TestViews.Weighted(4, 4, 4), 9);
        var plain = TestViews.PickIds(new RoundRobinPolicy(), TestViews.Weighted(1, 1, 1), 9);

        Assert.Equal(["b0", "b1", "b2", "b0", "b1", "b2", "b0", "b1", "b2"], weighted);
        Assert.Equal(plain, weighted);
    }

    [Fact]
    public void Pick_WeightsWithCommonDivisor_SameSequenceAsReduced()
    {
        var scaled = TestViews.PickIds(new SmoothWeightedRoundRobinPolicy(), TestViews.Weighted(10, 20, 30), 12);
        var reduced = TestViews.PickIds(new SmoothWeightedRoundRobinPolicy(), TestViews.Weighted(1, 2, 3), 12);

        Assert.Equal(reduced, scaled);
    }

    [Fact]
    public void Pick_NoBackends_NoHealthyBackends()
    {
        var result = new SmoothWeightedRoundRobinPolicy().Pick(RoutingView.Empty);

        Assert.Equal(PickOutcome.NoHealthyBackends, result.Outcome);
        Assert.False(result.IsSuccess);
    }

    [Fact]
    public void Pick_AllWeightsZero_NoHealthyBackends()
    {
        Assert.False(new SmoothWeightedRoundRobinPolicy().Pick(TestViews.Weighted(0, 0)).IsSuccess);
    }

    [Fact]
    public void Pick_SingleBackend_AlwaysReturned()
    {
        Assert.All(TestViews.PickIds(new SmoothWeightedRoundRobinPolicy(), TestViews.Weighted(7), 20), id => Assert.Equal("b0", id));
    }

    [Fact]
    public void Name_IsWeightedRoundRobin()
    {
        Assert.Equal(BalancingPolicyNames.WeightedRoundRobin, new SmoothWeightedRoundRobinPolicy().Name);
    }
}
