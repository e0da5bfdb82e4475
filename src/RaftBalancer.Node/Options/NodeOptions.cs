using RaftBalancer.Core.Balancing;

namespace RaftBalancer.Node.Options;

/// <summary>Settings of one node (configuration section <c>Node</c>); checked by <see cref="NodeOptionsValidator"/> at start-up.</summary>
/// <remarks>
/// The active health check and the circuit breaker have their own sections (<c>HealthCheck</c>, <c>CircuitBreaker</c>).
/// Environment variables prefixed <c>RAFTBALANCER_</c> override the file, e.g. <c>RAFTBALANCER_Node__ProxyUrl</c>.
/// </remarks>
public sealed class NodeOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Node";

    /// <summary>This node's id; must appear in <see cref="Members"/> when there are members.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Where clients send traffic, e.g. <c>http://127.0.0.1:7001</c>.</summary>
    public string ProxyUrl { get; set; } = string.Empty;

    /// <summary>Where operators and tools reach the node (status, later the gRPC admin API), e.g. <c>http://127.0.0.1:7101</c>.</summary>
    public string AdminUrl { get; set; } = string.Empty;

    /// <summary>
    /// The ops listener (HTTP/1.1; HTTPS with HTTP/2 when <c>Observability:CertificatePath</c> is set): <c>/metrics</c>,
    /// the dashboard at <c>/dashboard/</c>, <c>/-/ready</c>, <c>/-/status</c>; e.g. <c>http://127.0.0.1:7501</c>. Empty: none.
    /// </summary>
    public string OpsUrl { get; set; } = string.Empty;

    /// <summary>Where the other nodes reach this node's Raft transport, e.g. <c>http://127.0.0.1:7201</c>; required for <c>raft</c>.</summary>
    public string RaftUrl { get; set; } = string.Empty;

    /// <summary>The directory for the Raft log and snapshots; required for <c>raft</c>.</summary>
    public string DataDir { get; set; } = string.Empty;

    /// <summary>The state store: <c>raft</c> (default) or <c>local</c> (one node, in memory).</summary>
    public string StateStore { get; set; } = StateStoreKinds.Raft;

    /// <summary>Every member of the cluster, this node included.</summary>
    public IList<MemberOptions> Members { get; } = [];

    /// <summary>The balancing policy used until the cluster stores another: one of <see cref="BalancingPolicyNames.All"/>.</summary>
    public string Policy { get; set; } = BalancingPolicyNames.RoundRobin;

    /// <summary>How often this node writes its active counts when they changed. Default 250 ms.</summary>
    public TimeSpan LoadReportInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a load report lives without a refresh; null means four report intervals (at least 1 s).</summary>
    public TimeSpan? LoadReportTtl { get; set; }

    /// <summary>How long a health report lives without a refresh; null means three probe intervals plus the probe timeout.</summary>
    public TimeSpan? HealthReportTtl { get; set; }

    /// <summary>The shortest time between two health-state changes written for one backend; null means one probe interval.</summary>
    public TimeSpan? HealthReportDebounce { get; set; }

    /// <summary>Age after which a request that never finished is no longer counted as active. Default 10 minutes.</summary>
    public TimeSpan LeakTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The response header naming the backend that served a request; empty turns it off.</summary>
    public string BackendHeader { get; set; } = string.Empty;

    /// <summary>Retries allowed in flight, as a fraction of the active requests. Default 0.2.</summary>
    public double RetryBudgetRatio { get; set; } = 0.2;

    /// <summary>Retries always allowed in flight, whatever the load (so a quiet node can still retry). Default 3.</summary>
    public int MinRetryConcurrency { get; set; } = 3;

    /// <summary>The <c>Retry-After</c> sent with a 503 when no backend is routable. Default 1 s.</summary>
    public TimeSpan NoBackendRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Panic routing (off by default): when no backend is routable and some are out only because a majority of the nodes
    /// find them unhealthy, route to those anyway instead of answering 503. Health checks can all be wrong at once (a
    /// broken readiness path, the nodes cut off from the backends' health port); then a 503 for everyone is worse than
    /// trying. Drained, weight-0, rate-limited backends and this node's open breakers stay excluded.
    /// </summary>
    public bool PanicRouting { get; set; }

    /// <summary>How long connecting to a backend may take. Default 2 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a forwarded request may stay idle. Default 100 s.</summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The backends seeded into the cluster when it has none yet, and used until the store has some.</summary>
    public IList<BackendOptions> Backends { get; } = [];

    /// <summary>The load report TTL in effect.</summary>
    public TimeSpan EffectiveLoadReportTtl => LoadReportTtl ?? TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, LoadReportInterval.Ticks * 4));

    /// <summary>The health report TTL in effect: <see cref="HealthReportTtl"/>, or three probe intervals plus a probe timeout.</summary>
    /// <param name="health">The probe settings.</param>
    /// <returns>How long a health report counts as fresh.</returns>
    public TimeSpan EffectiveHealthReportTtl(Core.Health.HealthCheckOptions health)
    {
        ArgumentNullException.ThrowIfNull(health);
        return HealthReportTtl ?? ((health.Interval * 3) + health.Timeout);
    }
}
