namespace RaftBalancer.Core.Tests.Routing;

[Trait("Category", "Unit")]
public sealed class RoutingViewTests
{
    private readonly ConnectionTracker _tracker = TestViews.NewTracker();

    private RoutableBackend Backend(string id, int weight = 1, bool draining = false, long remote = 0) =>
        new(TestViews.Definition(id, weight, draining), _tracker.GetOrAdd(id), remote);

    [Fact]
    public void Ctor_DrainingAndZeroWeight_NotCandidatesButKept()
    {
        var view = new RoutingView(3, [Backend("a"), Backend("drain", draining: true), Backend("zero", weight: 0), Backend("b", weight: 5)]);

        Assert.Equal(3, view.Version);
        Assert.Equal(["a", "drain", "zero", "b"], view.Backends.Select(backend => backend.Id));
        Assert.Equal(["a", "b"], view.Candidates.Select(backend => backend.Id));
        Assert.Equal(["a", "b"], view.Routable.Select(backend => backend.Id));
    }

    [Fact]
    public void Ctor_DuplicateIds_ThrowsNamingIdField()
    {
        var ex = Assert.Throws<BackendValidationException>(() => new RoutingView(1, [Backend("a"), Backend("b"), Backend("a")]));

        Assert.Equal("backends[2].id", Assert.Single(ex.Errors).Field);
        Assert.Contains("duplicate id 'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_NullEntry_ThrowsNamingIndex()
    {
        var ex = Assert.Throws<BackendValidationException>(() => new RoutingView(1, [Backend("a"), null!]));

        Assert.Equal("backends[1]", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void Ctor_NullBackendsOrNegativeVersion_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new RoutingView(1, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoutingView(-1, []));
    }

    [Fact]
    public void Ctor_SourceMutatedAfterwards_ViewUnchanged()
    {
        var source = new List<RoutableBackend> { Backend("a") };
        var view = new RoutingView(1, source);

        source.Add(Backend("b"));

        Assert.Single(view.Backends);
    }

    [Fact]
    public void Empty_NoBackendsVersionZero()
    {
        Assert.Empty(RoutingView.Empty.Backends);
        Assert.Empty(RoutingView.Empty.Candidates);
        Assert.Empty(RoutingView.Empty.WeightedSchedule);
        Assert.Equal(0, RoutingView.Empty.Version);
        Assert.Same(RoutingView.Empty, RoutingView.Empty);
    }

    [Fact]
    public void Find_KnownIdIncludingNonCandidate_ReturnsBackend()
    {
        var view = new RoutingView(1, [Backend("a"), Backend("drain", draining: true)]);

        Assert.Same(view.Backends[0], view.Find("a"));
        Assert.Same(view.Backends[1], view.Find("drain"));
    }

    [Theory]
    [InlineData("c")]
    [InlineData("A")]
    [InlineData("")]
    public void Find_UnknownId_Null(string id)
    {
        Assert.Null(new RoutingView(1, [Backend("a")]).Find(id));
    }

    [Fact]
    public void WeightedSchedule_Weights511_OnePeriodAsIndices()
    {
        var view = new RoutingView(1, [Backend("a", 5), Backend("b", 1), Backend("c", 1)]);

        Assert.Equal([0, 0, 1, 0, 2, 0, 0], view.WeightedSchedule);
        Assert.Same(view.WeightedSchedule, view.WeightedSchedule);
    }

    [Fact]
    public void WeightedSchedule_CommonDivisor_ReducedPeriod()
    {
        var view = new RoutingView(1, [Backend("a", 300), Backend("b", 100), Backend("c", 200)]);

        Assert.Equal(6, view.WeightedSchedule.Length);
    }

    [Fact]
    public void WeightedSchedule_ZeroWeightBetween_IndicesOfCandidatesOnly()
    {
        var view = new RoutingView(1, [Backend("a", 0), Backend("b", 2), Backend("c", 1)]);

        Assert.Equal([0, 1, 0], view.WeightedSchedule);
    }

    [Fact]
    public void WeightedSchedule_BuiltConcurrently_AllCallersSeeSameArray()
    {
        var view = new RoutingView(1, Enumerable.Range(0, 8).Select(i => Backend($"b{i}", i + 1)));
        var seen = new int[8][];

        Parallel.For(0, seen.Length, i => seen[i] = view.WeightedSchedule);

        Assert.All(seen, schedule => Assert.Same(seen[0], schedule));
        Assert.Equal(36, seen[0].Length);
    }

    [Fact]
    public void WeightedSchedule_ViewsWithOtherWeights_EachMatchesAFreshBuild()
    {
        int[][] weightSets = [[1, 2, 3], [2, 4, 6], [3, 1, 2], [7], [5, 1, 1], [1, 2, 3]];
        foreach (var weights in weightSets)
        {
            var view = new RoutingView(1, weights.Select((weight, i) => Backend($"w{i}", weight)));

            Assert.Equal(RoutingView.BuildSchedule(view.Candidates), view.WeightedSchedule);
        }
    }

    [Fact]
    public void BuildSchedule_NoCandidates_Empty()
    {
        Assert.Empty(RoutingView.BuildSchedule([]));
    }
}

/// <summary>The schedule cache is process-wide, so these run alone (no other test builds views meanwhile).</summary>
[Trait("Category", "Unit")]
[Collection(Balancing.MemoryMeasurementGroup.Name)]
public sealed class RoutingViewScheduleReuseTests
{
    private readonly ConnectionTracker _tracker = TestViews.NewTracker();

    private RoutingView View(params int[] weights) =>
        new(1, weights.Select((weight, i) => new RoutableBackend(TestViews.Definition($"b{i}", weight), _tracker.GetOrAdd($"b{i}"))));

    [Fact]
    public void Ctor_SameReducedWeightsAsLastView_ReusesItsSchedule()
    {
        var first = View(5, 1, 1);
        var sameWeights = View(5, 1, 1);
        var scaled = View(10, 2, 2);
        var drainedZeroWeight = new RoutingView(2,
        [
            .. first.Backends,
            new RoutableBackend(TestViews.Definition("drain", 3, draining: true), _tracker.GetOrAdd("drain")),
        ]);

        Assert.Same(first.WeightedSchedule, sameWeights.WeightedSchedule);
        Assert.Same(first.WeightedSchedule, scaled.WeightedSchedule);
        Assert.Same(first.WeightedSchedule, drainedZeroWeight.WeightedSchedule);
    }

    [Fact]
    public void Ctor_OtherWeightsThanLastView_NewSchedule()
    {
        var first = View(5, 1, 1);
        var other = View(1, 5, 1);
        var longer = View(5, 1, 1, 1);

        Assert.NotSame(first.WeightedSchedule, other.WeightedSchedule);
        Assert.Equal([1, 1, 0, 1, 2, 1, 1], other.WeightedSchedule);
        Assert.Equal(8, longer.WeightedSchedule.Length);
    }
}
