namespace RaftBalancer.Core.Tests.Routing;

/// <summary>Builds routing views for tests: backends b0, b1, … (or the given ids) on http://{id}.test:8080.</summary>
internal static class TestViews
{
    public static ConnectionTracker NewTracker() => new(TimeProvider.System, TimeSpan.FromMinutes(5));

    public static BackendDefinition Definition(string id, int weight = 1, bool draining = false) =>
        new(id, $"http://{id}.test:8080", weight, draining);

    public static RoutingView Ids(params string[] ids) => Ids(NewTracker(), ids);

    public static RoutingView Ids(ConnectionTracker tracker, params string[] ids) =>
        new(1, ids.Select(id => new RoutableBackend(Definition(id), tracker.GetOrAdd(id))));

    public static RoutingView Weighted(params int[] weights) => Weighted(NewTracker(), weights);

    public static RoutingView Weighted(ConnectionTracker tracker, params int[] weights) =>
        new(1, weights.Select((weight, i) => new RoutableBackend(Definition($"b{i}", weight), tracker.GetOrAdd($"b{i}"))));

    /// <summary>A view whose backends carry the given remote counts.</summary>
    public static RoutingView WithRemote(ConnectionTracker tracker, params long[] remote) =>
        new(1, remote.Select((count, i) => new RoutableBackend(Definition($"b{i}"), tracker.GetOrAdd($"b{i}"), count)));

    public static string[] PickIds(IBalancingPolicy policy, RoutingView view, int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            var result = policy.Pick(view);
            Assert.True(result.IsSuccess);
            ids[i] = result.Backend.Id;
        }

        return ids;
    }
}
