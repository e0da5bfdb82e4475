namespace RaftBalancer.Core.Tests.Routing;

[Trait("Category", "Unit")]
public sealed class ClusterVerdictTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(15);
    private static readonly BackendDefinition Backend = new("a", "http://127.0.0.1:7301");

    private static NodeHealthReport Report(string node, HealthState state, double ageSeconds = 1, DateTimeOffset? until = null) =>
        new(node, state, Now - TimeSpan.FromSeconds(ageSeconds), until);

    [Fact]
    public void Decide_NoReports_Routable()
    {
        var verdict = ClusterVerdict.Decide(Backend, [], Now, Fresh, localBreakerOpen: false);

        Assert.True(verdict.IsRoutable);
        Assert.Equal(0, verdict.FreshReports);
    }

    [Fact]
    public void Decide_OneOfThreeNodesUnhealthy_StaysRoutable()
    {
        var reports = new[] { Report("n1", HealthState.Unhealthy), Report("n2", HealthState.Healthy), Report("n3", HealthState.Healthy) };

        var verdict = ClusterVerdict.Decide(Backend, reports, Now, Fresh, localBreakerOpen: false);

        Assert.True(verdict.IsRoutable);
        Assert.Equal(3, verdict.FreshReports);
        Assert.Equal(1, verdict.UnhealthyReports);
    }

    [Fact]
    public void Decide_TwoOfThreeNodesUnhealthy_Excluded()
    {
        var reports = new[] { Report("n1", HealthState.Unhealthy), Report("n2", HealthState.Unhealthy), Report("n3", HealthState.Healthy) };

        var verdict = ClusterVerdict.Decide(Backend, reports, Now, Fresh, localBreakerOpen: false);

        Assert.Equal(VerdictReason.UnhealthyMajority, verdict.Reason);
        Assert.False(verdict.IsRoutable);
    }

    [Fact]
    public void Decide_HalfOfFreshReportsUnhealthy_NotAMajority_Routable()
    {
        var reports = new[] { Report("n1", HealthState.Unhealthy), Report("n2", HealthState.Healthy) };

        Assert.True(ClusterVerdict.Decide(Backend, reports, Now, Fresh, localBreakerOpen: false).IsRoutable);
    }

    [Fact]
    public void Decide_StaleReportsIgnored_MajorityOfFreshDecides()
    {
        // n2 and n3 died: their healthy reports are stale, so n1's fresh unhealthy report is the whole majority.
        var reports = new[] { Report("n1", HealthState.Unhealthy), Report("n2", HealthState.Healthy, ageSeconds: 60), Report("n3", HealthState.Healthy, ageSeconds: 60) };

        var verdict = ClusterVerdict.Decide(Backend, reports, Now, Fresh, localBreakerOpen: false);

        Assert.Equal(VerdictReason.UnhealthyMajority, verdict.Reason);
        Assert.Equal(1, verdict.FreshReports);
    }

    [Fact]
    public void Decide_AnyFreshRateLimitedReport_ExcludedUntilRetryAfter()
    {
        var reports = new[] { Report("n1", HealthState.RateLimited, until: Now.AddSeconds(5)), Report("n2", HealthState.Healthy) };

        Assert.Equal(VerdictReason.RateLimited, ClusterVerdict.Decide(Backend, reports, Now, Fresh, false).Reason);
        Assert.True(ClusterVerdict.Decide(Backend, reports, Now.AddSeconds(6), Fresh, false).IsRoutable);
    }

    [Fact]
    public void Decide_RateLimitedWithoutDeadline_ExcludedWhileFresh()
    {
        var reports = new[] { Report("n1", HealthState.RateLimited) };

        Assert.Equal(VerdictReason.RateLimited, ClusterVerdict.Decide(Backend, reports, Now, Fresh, false).Reason);
    }

    [Fact]
    public void Decide_LocalBreakerOpen_ExcludedForThisNodeOnly()
    {
        var reports = new[] { Report("n1", HealthState.Healthy), Report("n2", HealthState.Healthy) };

        Assert.Equal(VerdictReason.LocalBreakerOpen, ClusterVerdict.Decide(Backend, reports, Now, Fresh, localBreakerOpen: true).Reason);
        Assert.True(ClusterVerdict.Decide(Backend, reports, Now, Fresh, localBreakerOpen: false).IsRoutable);
    }

    [Fact]
    public void Decide_Draining_ExcludedWhateverTheHealth()
    {
        var verdict = ClusterVerdict.Decide(Backend.WithDraining(true), [Report("n1", HealthState.Healthy)], Now, Fresh, false);

        Assert.Equal(VerdictReason.Draining, verdict.Reason);
    }

    [Fact]
    public void Decide_ZeroWeight_Excluded()
    {
        Assert.Equal(VerdictReason.ZeroWeight, ClusterVerdict.Decide(Backend.WithWeight(0), [], Now, Fresh, false).Reason);
    }

    [Fact]
    public void Decide_NonPositiveFreshness_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ClusterVerdict.Decide(Backend, [], Now, TimeSpan.Zero, false));

        Assert.Equal("freshFor", error.ParamName);
    }
}
