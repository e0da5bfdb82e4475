using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RaftBalancer.Node.Diagnostics;

/// <summary>The node's meter and activity source, and the instruments recorded where things happen (proxy, probes, store writes).</summary>
/// <remarks>
/// <para>
/// Instruments are named the OpenTelemetry way (dots, base unit in <c>unit</c>); the Prometheus exporter turns
/// <c>raftbalancer.proxy.requests</c> (counter) into <c>raftbalancer_proxy_requests_total</c> and a histogram in
/// <c>s</c> into <c>…_seconds</c>. Gauges read from the node's state live in <c>Observability/NodeGauges</c>.
/// </para>
/// <para>
/// Recording allocates nothing: tag values are strings the caller already holds or cached ones
/// (<see cref="StatusCodeTags"/>), and an instrument nobody listens to (metrics off) returns at once.
/// See docs/ARCHITECTURE.md, "Observability".
/// </para>
/// </remarks>
internal sealed class NodeTelemetry : IDisposable
{
    /// <summary>The meter every node instrument belongs to.</summary>
    public const string MeterName = "RaftBalancer.Node";

    /// <summary>The activity source of proxy, admin and Raft proposal spans.</summary>
    public const string ActivitySourceName = "RaftBalancer.Node";

    public NodeTelemetry()
    {
        Meter = new Meter(MeterName);
        Source = new ActivitySource(ActivitySourceName);
        ProxyRequests = Meter.CreateCounter<long>("raftbalancer.proxy.requests", description: "Forwarding attempts by backend and status code (error: no response).");
        ProxyDuration = Seconds("raftbalancer.proxy.request_duration", "Time to forward one attempt to a backend, response body included.", [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
        ProxyRetries = Meter.CreateCounter<long>("raftbalancer.proxy.retries", description: "Retries sent, by the failure that caused them.");
        RetryBudgetRefusals = Meter.CreateCounter<long>("raftbalancer.proxy.retry_budget_refusals", description: "Retries the retry budget refused.");
        NoBackend = Meter.CreateCounter<long>("raftbalancer.proxy.no_backend", description: "Requests answered 503 because no backend was routable.");
        ProbeDuration = Seconds("raftbalancer.health.probe_duration", "Duration of this node's active health probes.", [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
        StateWrites = Meter.CreateCounter<long>("raftbalancer.state.writes", description: "Writes this node made to the replicated store, by kind (health, load, config).");
        CommitDuration = Seconds("raftbalancer.raft.commit_duration", "From this node's proposal of a write to its commit and apply on this node (a follower's includes forwarding to the leader).", [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
        AccessLogDropped = Meter.CreateCounter<long>("raftbalancer.access_log.dropped", description: "Access log lines dropped because the writer fell behind.");
    }

    private Histogram<double> Seconds(string name, string description, double[] bucketBoundaries) =>
        Meter.CreateHistogram(name, unit: "s", description: description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = bucketBoundaries });

    public Meter Meter { get; }

    public ActivitySource Source { get; }

    public Counter<long> ProxyRequests { get; }

    public Histogram<double> ProxyDuration { get; }

    public Counter<long> ProxyRetries { get; }

    public Counter<long> RetryBudgetRefusals { get; }

    public Counter<long> NoBackend { get; }

    public Histogram<double> ProbeDuration { get; }

    public Counter<long> StateWrites { get; }

    public Histogram<double> CommitDuration { get; }

    public Counter<long> AccessLogDropped { get; }

    /// <summary>Counts one forwarding attempt and its duration.</summary>
    /// <param name="backendId">The backend.</param>
    /// <param name="statusCode">The response status, or 0 when there was no response.</param>
    /// <param name="startTimestamp">The attempt's <see cref="Stopwatch.GetTimestamp"/>.</param>
    public void RecordAttempt(string backendId, int statusCode, long startTimestamp)
    {
        if (ProxyRequests.Enabled)
        {
            ProxyRequests.Add(1, new KeyValuePair<string, object?>("backend", backendId), new KeyValuePair<string, object?>("code", StatusCodeTags.Get(statusCode)));
        }

        if (ProxyDuration.Enabled)
        {
            ProxyDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("backend", backendId));
        }
    }

    /// <summary>Starts timing a write to the replicated store (and a span, when traced).</summary>
    /// <param name="kind">health, load or config.</param>
    /// <param name="key">The key written.</param>
    /// <returns>The write in progress; call <see cref="StateWrite.Complete"/> once committed.</returns>
    public StateWrite StartStateWrite(string kind, string key)
    {
        var activity = Source.StartActivity("raft.propose", ActivityKind.Internal);
        activity?.SetTag("raftbalancer.write.kind", kind);
        activity?.SetTag("raftbalancer.write.key", key);
        return new StateWrite(this, kind, activity, Stopwatch.GetTimestamp());
    }

    public void Dispose()
    {
        Meter.Dispose();
        Source.Dispose();
    }
}
