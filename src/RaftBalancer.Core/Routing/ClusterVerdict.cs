using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Health;

namespace RaftBalancer.Core.Routing;

/// <summary>Decides whether a backend is routable from the nodes' replicated health reports.</summary>
/// <remarks>
/// A backend is routable when it is not draining, has a weight above 0, is not rate limited by any fresh report,
/// and is not reported <see cref="HealthState.Unhealthy"/> by a strict majority of the nodes whose reports are fresh:
/// one node with a bad network path cannot evict a backend for everyone. With no fresh report at all the backend is
/// routable (nothing says otherwise yet). This node's own open breaker removes it for this node only, at once.
/// A pure function: the caller passes the clock reading.
/// </remarks>
public static class ClusterVerdict
{
    /// <summary>Decides one backend's verdict.</summary>
    /// <param name="backend">The backend's configuration.</param>
    /// <param name="reports">Every node's latest report on this backend (stale ones are ignored).</param>
    /// <param name="now">The current time.</param>
    /// <param name="freshFor">How old a report may be and still count.</param>
    /// <param name="localBreakerOpen">True when this node's breaker for the backend is open.</param>
    /// <returns>The verdict with its reason.</returns>
    public static BackendVerdict Decide(
        BackendDefinition backend,
        IEnumerable<NodeHealthReport> reports,
        DateTimeOffset now,
        TimeSpan freshFor,
        bool localBreakerOpen)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(freshFor, TimeSpan.Zero);

        var fresh = 0;
        var unhealthy = 0;
        var rateLimited = false;
        foreach (var report in reports)
        {
            if (now - report.ReportedAt > freshFor)
            {
                continue;
            }

            fresh++;
            switch (report.State)
            {
                case HealthState.Unhealthy:
                    unhealthy++;
                    break;
                case HealthState.RateLimited when report.RateLimitedUntil is null || report.RateLimitedUntil > now:
                    rateLimited = true;
                    break;
            }
        }

        var reason = backend.Draining ? VerdictReason.Draining
            : backend.Weight == 0 ? VerdictReason.ZeroWeight
            : rateLimited ? VerdictReason.RateLimited
            : unhealthy * 2 > fresh ? VerdictReason.UnhealthyMajority
            : localBreakerOpen ? VerdictReason.LocalBreakerOpen
            : VerdictReason.Routable;
        return new BackendVerdict(reason, fresh, unhealthy);
    }
}
