using System.Diagnostics.Metrics;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Breaking;
using RaftBalancer.Core.Health;
using RaftBalancer.Node.Diagnostics;
using RaftBalancer.Node.Store;
using RaftBalancer.Node.Views;
using RaftBalancer.State;
using RaftBalancer.State.Raft;

namespace RaftBalancer.Node.Observability;

/// <summary>The node's observable gauges and counters, read from its state when the exporter collects (never on the request path).</summary>
internal sealed class NodeGauges
{
    private static readonly (HealthState State, string Name)[] HealthStates =
        [(HealthState.Unknown, "unknown"), (HealthState.Healthy, "healthy"), (HealthState.Unhealthy, "unhealthy"), (HealthState.RateLimited, "rate_limited")];

    private static readonly (CircuitState State, string Name)[] BreakerStates =
        [(CircuitState.Closed, "closed"), (CircuitState.Open, "open"), (CircuitState.HalfOpen, "half_open")];

    private readonly ViewPublisher _views;
    private readonly ConnectionTracker _tracker;
    private readonly IConsensusStatus _consensus;
    private readonly RaftStateStore? _raft;
    private readonly ClusterSampler _sampler;
    private readonly TimeProvider _time;

    public NodeGauges(NodeTelemetry telemetry, ViewPublisher views, ConnectionTracker tracker, IConsensusStatus consensus, IStateStore store, ClusterSampler sampler, TimeProvider time)
    {
        _views = views;
        _tracker = tracker;
        _consensus = consensus;
        _raft = store as RaftStateStore;
        _sampler = sampler;
        _time = time;
        var meter = telemetry.Meter;
        meter.CreateObservableGauge("raftbalancer.backend.active_requests", ActiveRequests, description: "Requests in flight to a backend: this node's (scope=local) and the cluster's as replicated (scope=cluster).");
        meter.CreateObservableGauge("raftbalancer.backend.routable", Routable, description: "1 when this node routes to the backend.");
        meter.CreateObservableGauge("raftbalancer.backend.health", Health, description: "This node's prober's state of the backend (1 for the current state).");
        meter.CreateObservableGauge("raftbalancer.backend.breaker_state", Breaker, description: "This node's circuit breaker state of the backend (1 for the current state).");
        meter.CreateObservableGauge("raftbalancer.raft.is_leader", () => _raft?.IsLeader == true ? 1 : 0, description: "1 on the Raft leader.");
        meter.CreateObservableGauge("raftbalancer.raft.term", () => _raft?.Term ?? 0, description: "The current Raft term.");
        meter.CreateObservableGauge("raftbalancer.raft.commit_index", () => _raft?.CommitIndex ?? 0, description: "The last committed log index known to this node.");
        meter.CreateObservableGauge("raftbalancer.raft.applied_index", () => _raft?.AppliedIndex ?? 0, description: "The last log index applied on this node.");
        meter.CreateObservableCounter("raftbalancer.raft.leader_changes", () => _raft?.LeaderChanges ?? 0, description: "New leaders this node learned of since start.");
        meter.CreateObservableGauge("raftbalancer.raft.peer_last_contact", PeerLastContact, unit: "s", description: "Seconds since this node last got a peer's progress.");
        meter.CreateObservableGauge("raftbalancer.raft.wal", () => _sampler.WalBytes, unit: "By", description: "Bytes in the Raft data directory (log and snapshots).");
        meter.CreateObservableGauge("raftbalancer.node.stale", () => _consensus.IsStale ? 1 : 0, description: "1 while the node has lost contact with the leader and routes with its last view.");
        meter.CreateObservableGauge("raftbalancer.view.version", () => _views.Current.Routing.Version, description: "The routing view's version.");
        meter.CreateObservableCounter("raftbalancer.view.rebuilds", () => _views.Rebuilds, description: "Routing plans built (equal plans keep the view).");
    }

    private IEnumerable<Measurement<long>> ActiveRequests()
    {
        var live = _tracker.Snapshot();
        foreach (var b in _views.Current.Backends)
        {
            var local = live.GetValueOrDefault(b.Id);
            yield return new Measurement<long>(local, new("backend", b.Id), new("scope", "local"));
            yield return new Measurement<long>(local + b.RemoteActive, new("backend", b.Id), new("scope", "cluster"));
        }
    }

    private IEnumerable<Measurement<int>> Routable() =>
        _views.Current.Backends.Select(b => new Measurement<int>(b.Routable ? 1 : 0, new KeyValuePair<string, object?>("backend", b.Id)));

    private IEnumerable<Measurement<int>> Health()
    {
        foreach (var b in _views.Current.Backends)
        {
            foreach (var (state, name) in HealthStates)
            {
                yield return new Measurement<int>(b.LocalHealth == state ? 1 : 0, new("backend", b.Id), new("state", name));
            }
        }
    }

    private IEnumerable<Measurement<int>> Breaker()
    {
        foreach (var b in _views.Current.Backends)
        {
            foreach (var (state, name) in BreakerStates)
            {
                yield return new Measurement<int>(b.Breaker == state ? 1 : 0, new("backend", b.Id), new("state", name));
            }
        }
    }

    private IEnumerable<Measurement<double>> PeerLastContact()
    {
        if (_sampler.Status is not { } status)
        {
            yield break;
        }

        var now = _time.GetUtcNow();
        foreach (var m in status.Members)
        {
            if (!m.IsLocal && m.LastContact is { } seen)
            {
                yield return new Measurement<double>((now - seen).TotalSeconds, new KeyValuePair<string, object?>("peer", m.Id));
            }
        }
    }
}
