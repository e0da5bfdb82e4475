namespace RaftBalancer.Node.Tests.Views;

/// <summary>The view decision as a pure function of plain values: no store, no clock, no node.</summary>
[Trait("Category", "Unit")]
public sealed class ViewBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(3);
    private static readonly ViewSettings Settings = new("n1", Fresh, Fresh, PanicRouting: false);
    private static readonly BackendDefinition A = new("a", "http://127.0.0.1:9001", 1);
    private static readonly BackendDefinition B = new("b", "http://127.0.0.1:9002", 2);

    [Fact]
    public void Build_NoReports_EveryBackendRoutableInDefinitionOrder()
    {
        var plan = ViewBuilder.Build(Settings, Inputs([A, B]));

        Assert.Equal(["a", "b"], plan.Backends.Select(s => s.Id));
        Assert.All(plan.Backends, s => Assert.True(s.Routable));
        Assert.All(plan.Backends, s => Assert.Equal(nameof(VerdictReason.Routable), s.Reason));
        Assert.Equal("round-robin", plan.PolicyName);
        Assert.False(plan.Panic);
    }

    [Fact]
    public void Build_MajorityOfFreshReportsUnhealthy_Excluded_MinorityKept()
    {
        var health = Health(("a", "n2", HealthState.Unhealthy, Now), ("a", "n3", HealthState.Unhealthy, Now),
            ("b", "n2", HealthState.Unhealthy, Now), ("b", "n3", HealthState.Healthy, Now));
        var local = new Dictionary<string, HealthSnapshot> { ["a"] = Snapshot(HealthState.Healthy), ["b"] = Snapshot(HealthState.Healthy) };

        var plan = ViewBuilder.Build(Settings, Inputs([A, B], health, local: local));

        var a = plan.Backends[0];
        Assert.False(a.Routable);
        Assert.Equal(nameof(VerdictReason.UnhealthyMajority), a.Reason);
        Assert.Equal((3, 2), (a.FreshReports, a.UnhealthyReports));
        Assert.True(plan.Backends[1].Routable); // one of three
    }

    [Fact]
    public void Build_OwnStoredReport_IgnoredForTheLiveProberState()
    {
        // The store still holds this node's old Unhealthy report; its prober now says Healthy.
        var health = Health(("a", "n1", HealthState.Unhealthy, Now), ("a", "n2", HealthState.Unhealthy, Now), ("a", "n3", HealthState.Healthy, Now));
        var live = new Dictionary<string, HealthSnapshot> { ["a"] = Snapshot(HealthState.Healthy) };

        var plan = ViewBuilder.Build(Settings, Inputs([A], health, local: live));

        Assert.True(plan.Backends[0].Routable);
        Assert.Equal((3, 1), (plan.Backends[0].FreshReports, plan.Backends[0].UnhealthyReports));
        Assert.Equal(HealthState.Healthy, plan.Backends[0].LocalHealth);
    }

    [Fact]
    public void Build_StaleReports_NotCounted()
    {
        var old = Now - Fresh - TimeSpan.FromMilliseconds(1);
        var health = Health(("a", "n2", HealthState.Unhealthy, old), ("a", "n3", HealthState.Unhealthy, old));

        var plan = ViewBuilder.Build(Settings, Inputs([A], health));

        Assert.True(plan.Backends[0].Routable);
        Assert.Equal(0, plan.Backends[0].FreshReports);
    }

    [Fact]
    public void Build_LocalBreakerOpen_ExcludedOnThisNode()
    {
        var plan = ViewBuilder.Build(Settings, Inputs([A, B], breakers: new Dictionary<string, CircuitState> { ["a"] = CircuitState.Open, ["b"] = CircuitState.HalfOpen }));

        Assert.Equal(nameof(VerdictReason.LocalBreakerOpen), plan.Backends[0].Reason);
        Assert.Equal(CircuitState.Open, plan.Backends[0].Breaker);
        Assert.True(plan.Backends[1].Routable);
    }

    [Fact]
    public void Build_RemoteActive_SumsOtherNodesFreshLoadsOnly()
    {
        var loads = new[]
        {
            new NodeLoadReport("n1", Now, new Dictionary<string, long> { ["a"] = 100 }), // this node: its live counter counts instead
            new NodeLoadReport("n2", Now, new Dictionary<string, long> { ["a"] = 3, ["b"] = -5 }), // a negative count is 0
            new NodeLoadReport("n3", Now - TimeSpan.FromSeconds(1), new Dictionary<string, long> { ["a"] = 4 }),
            new NodeLoadReport("n4", Now - Fresh - TimeSpan.FromMilliseconds(1), new Dictionary<string, long> { ["a"] = 50 }), // stale
        };

        var plan = ViewBuilder.Build(Settings, Inputs([A, B], loads: loads));

        Assert.Equal(7, plan.Backends[0].RemoteActive);
        Assert.Equal(0, plan.Backends[1].RemoteActive);
    }

    [Fact]
    public void Build_DrainingAndZeroWeight_NotRoutable()
    {
        var draining = new BackendDefinition("a", "http://127.0.0.1:9001", 1, draining: true);
        var zero = new BackendDefinition("b", "http://127.0.0.1:9002", 0);

        var plan = ViewBuilder.Build(Settings, Inputs([draining, zero]));

        Assert.Equal([nameof(VerdictReason.Draining), nameof(VerdictReason.ZeroWeight)], plan.Backends.Select(s => s.Reason));
        Assert.Equal(0, plan.RoutableCount);
    }

    [Fact]
    public void Build_RateLimitedReport_UntilItsRetryAfter()
    {
        var health = new Dictionary<string, IReadOnlyList<NodeHealthReport>>
        {
            ["a"] = [new NodeHealthReport("n2", HealthState.RateLimited, Now, Now.AddSeconds(2))],
            ["b"] = [new NodeHealthReport("n2", HealthState.RateLimited, Now, Now.AddSeconds(-1))],
        };

        var plan = ViewBuilder.Build(Settings, Inputs([A, B], health));

        Assert.Equal(nameof(VerdictReason.RateLimited), plan.Backends[0].Reason);
        Assert.True(plan.Backends[1].Routable);
    }

    [Fact]
    public void Build_PanicRoutingOn_NothingRoutable_RoutesTheUnhealthyByVerdictOnly()
    {
        var draining = new BackendDefinition("c", "http://127.0.0.1:9003", 1, draining: true);
        var health = Health(("a", "n2", HealthState.Unhealthy, Now), ("b", "n2", HealthState.Unhealthy, Now), ("c", "n2", HealthState.Unhealthy, Now));

        var off = ViewBuilder.Build(Settings, Inputs([A, B, draining], health));
        var on = ViewBuilder.Build(Settings with { PanicRouting = true }, Inputs([A, B, draining], health));

        Assert.Equal(0, off.RoutableCount);
        Assert.False(off.Panic);
        Assert.True(on.Panic);
        Assert.Equal([ViewBuilder.PanicReason, ViewBuilder.PanicReason, nameof(VerdictReason.Draining)], on.Backends.Select(s => s.Reason));
        Assert.Equal([true, true, false], on.Backends.Select(s => s.Routable));
    }

    [Fact]
    public void Build_PanicRoutingOn_SomethingRoutable_NoPanic()
    {
        var health = Health(("a", "n2", HealthState.Unhealthy, Now));

        var plan = ViewBuilder.Build(Settings with { PanicRouting = true }, Inputs([A, B], health));

        Assert.False(plan.Panic);
        Assert.Equal([false, true], plan.Backends.Select(s => s.Routable));
    }

    [Fact]
    public void Build_SameInputs_EqualPlans_AnyRoutingChange_NotEqual()
    {
        var health = Health(("a", "n2", HealthState.Healthy, Now));
        var first = ViewBuilder.Build(Settings, Inputs([A, B], health));
        var again = ViewBuilder.Build(Settings, Inputs([new BackendDefinition("a", "http://127.0.0.1:9001", 1), B], Health(("a", "n2", HealthState.Healthy, Now))));

        Assert.Equal(first, again);
        Assert.NotEqual(first, ViewBuilder.Build(Settings, Inputs([A, new BackendDefinition("b", "http://127.0.0.1:9002", 3)], health)));
        Assert.NotEqual(first, ViewBuilder.Build(Settings, Inputs([A, B], health, policy: "least-connections")));
        Assert.NotEqual(first, ViewBuilder.Build(Settings, Inputs([A, B], health, loads: [new NodeLoadReport("n2", Now, new Dictionary<string, long> { ["b"] = 1 })])));
        Assert.NotEqual(first, ViewBuilder.Build(Settings, Inputs([A, B], health, local: new Dictionary<string, HealthSnapshot> { ["b"] = Snapshot(HealthState.Healthy) })));
        Assert.NotEqual(first, ViewBuilder.Build(Settings, Inputs([A, B], health, breakers: new Dictionary<string, CircuitState> { ["b"] = CircuitState.HalfOpen })));
    }

    [Fact]
    public void Build_ReportAgesButStaysFresh_EqualPlans()
    {
        // The clock moves on while nothing that decides routing changes: no new view.
        var health = Health(("a", "n2", HealthState.Healthy, Now));
        var first = ViewBuilder.Build(Settings, Inputs([A], health));
        var later = ViewBuilder.Build(Settings, Inputs([A], health) with { Now = Now.AddSeconds(2) });

        Assert.Equal(first, later);
    }

    private static ViewInputs Inputs(
        IReadOnlyList<BackendDefinition> definitions,
        IReadOnlyDictionary<string, IReadOnlyList<NodeHealthReport>>? health = null,
        IReadOnlyList<NodeLoadReport>? loads = null,
        IReadOnlyDictionary<string, HealthSnapshot>? local = null,
        IReadOnlyDictionary<string, CircuitState>? breakers = null,
        string policy = "round-robin") =>
        new(
            new StoreContents(definitions, policy, FromStore: true, health ?? new Dictionary<string, IReadOnlyList<NodeHealthReport>>(), loads ?? []),
            local ?? new Dictionary<string, HealthSnapshot>(),
            breakers ?? new Dictionary<string, CircuitState>(),
            Now);

    private static Dictionary<string, IReadOnlyList<NodeHealthReport>> Health(params (string Backend, string Node, HealthState State, DateTimeOffset At)[] reports) =>
        reports.GroupBy(r => r.Backend).ToDictionary(g => g.Key, g => (IReadOnlyList<NodeHealthReport>)[.. g.Select(r => new NodeHealthReport(r.Node, r.State, r.At))]);

    private static HealthSnapshot Snapshot(HealthState state) => new(state, Now, "test", null, 0, 0, null);
}
