using Microsoft.Extensions.Options;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Node.Diagnostics;
using RaftBalancer.Node.Options;
using RaftBalancer.Node.Store;
using RaftBalancer.Node.Views;
using RaftBalancer.State;
using RaftBalancer.State.Raft;

namespace RaftBalancer.Node.Observability;

/// <summary>Once a second, samples what the dashboard and the Raft gauges show: every member's progress, the WAL size, requests per second; keeps recent events.</summary>
/// <remarks>
/// <para>
/// The member table comes from <see cref="RaftStateStore.GetStatusAsync"/> (each peer asked over its forwarding
/// endpoint), so any node's dashboard shows the whole cluster. A peer's last contact is the last time this node got
/// its progress. Requests per second are this node's (from <see cref="ServedRequests"/>) and cluster-wide: this node's
/// plus the other nodes' rates taken from the served totals in their load reports (<see cref="ClusterRates"/>); the
/// history chart follows the cluster-wide rate.
/// </para>
/// <para>Readers (the dashboard endpoint, gauge callbacks) read immutable snapshots swapped by the sampling loop.</para>
/// </remarks>
internal sealed class ClusterSampler(
    IStateStore store,
    IConsensusStatus consensus,
    ViewPublisher views,
    ClusterStateMirror mirror,
    ConnectionTracker tracker,
    ServedRequests served,
    TimeProvider time,
    IOptions<NodeOptions> node) : BackgroundService
{
    private const int HistoryLength = 60;
    private const int MaxEvents = 50;

    private readonly RaftStateStore? _raft = store as RaftStateStore;
    private readonly NodeOptions _node = node.Value;
    private readonly ClusterRates _clusterRates = new();
    private readonly Dictionary<string, long> _lastServed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<double>> _history = new(StringComparer.Ordinal);
    private readonly LinkedList<DashboardEvent> _events = new();
    private IReadOnlyDictionary<string, Rate> _rates = new Dictionary<string, Rate>();
    private RaftClusterStatus? _status;
    private long _walBytes;
    private string? _lastLeader;
    private NodeView? _lastView;
    private long _lastSample;

    /// <summary>The latest Raft cluster status, or null (not on Raft, or not sampled yet).</summary>
    public RaftClusterStatus? Status => Volatile.Read(ref _status);

    /// <summary>Bytes in the Raft data directory (log segments and snapshots), at the last sample.</summary>
    public long WalBytes => Interlocked.Read(ref _walBytes);

    /// <summary>Builds the dashboard's model from the latest sample and the current view.</summary>
    public DashboardModel Model()
    {
        var view = views.Current;
        var contents = mirror.Snapshot();
        var live = tracker.Snapshot();
        var rates = Volatile.Read(ref _rates);
        var status = Status;
        var now = time.GetUtcNow();
        var members = status is null
            ? [new DashboardMember(_node.Id, consensus.Role, true, null, null, null, null, consensus.IsStale)]
            : status.Members.Select(m => new DashboardMember(
                m.Id,
                m.IsLeader ? "leader" : m.Available ? (m.MemberLeaderId is { Length: > 0 } ? "follower" : "candidate") : "unreachable",
                m.Available,
                m.Term,
                m.CommitIndex,
                m.AppliedIndex,
                m.IsLocal ? 0 : m.LastContact is { } seen ? Math.Round((now - seen).TotalSeconds, 1) : null,
                m.IsLocal ? consensus.IsStale : !m.Available || string.IsNullOrEmpty(m.MemberLeaderId))).ToList();

        var backends = view.Backends.Select(b =>
        {
            var opinions = contents.Health.TryGetValue(b.Id, out var reports)
                ? reports.OrderBy(r => r.NodeId, StringComparer.Ordinal).ToDictionary(r => r.NodeId, r => r.State.ToString(), StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            opinions[_node.Id] = b.LocalHealth.ToString();
            var local = live.GetValueOrDefault(b.Id);
            var rate = rates.GetValueOrDefault(b.Id) ?? Rate.None;
            return new DashboardBackend(
                b.Id,
                b.Definition.Url.OriginalString,
                b.Definition.Weight,
                b.Definition.Draining,
                b.Routable,
                b.Reason,
                opinions,
                b.Breaker.ToString(),
                local,
                local + b.RemoteActive,
                rate.Local,
                rate.Cluster,
                rate.History);
        }).ToList();

        DashboardEvent[] events;
        lock (_events)
        {
            events = [.. _events];
        }

        return new DashboardModel(_node.Id, now, consensus.LeaderId, status?.Term ?? 0, view.Routing.Version, view.Policy.Name, members, backends, events);
    }

    /// <summary>Starts following view changes, then the sampling loop.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        views.ViewChanged += OnViewChanged;
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        views.ViewChanged -= OnViewChanged;
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _lastSample = time.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            do
            {
                await SampleAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        SampleRates();
        var leader = consensus.LeaderId;
        if (leader != _lastLeader)
        {
            AddEvent("leader", leader is null ? "no leader known (election)" : "leader is " + leader + (_lastLeader is null ? string.Empty : " (was " + _lastLeader + ")"));
            _lastLeader = leader;
        }

        if (_raft is null)
        {
            return;
        }

        Interlocked.Exchange(ref _walBytes, DirectorySize(_node.DataDir));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(900));
            Volatile.Write(ref _status, await _raft.GetStatusAsync(timeout.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A slow peer: keep the previous sample.
        }
        catch (StateStoreException)
        {
            // Closing.
        }
    }

    private void SampleRates()
    {
        var now = time.GetTimestamp();
        var seconds = Math.Max(0.001, time.GetElapsedTime(_lastSample, now).TotalSeconds);
        _lastSample = now;
        var totals = served.Snapshot();
        var others = _clusterRates.Update(_node.Id, mirror.Snapshot().Loads);
        var rates = new Dictionary<string, Rate>(StringComparer.Ordinal);
        foreach (var backend in totals.Keys.Union(others.Keys).Union(_history.Keys))
        {
            var total = totals.GetValueOrDefault(backend);
            var local = Math.Round((total - _lastServed.GetValueOrDefault(backend)) / seconds, 1);
            _lastServed[backend] = total;
            var cluster = Math.Round(local + others.GetValueOrDefault(backend), 1);
            if (!_history.TryGetValue(backend, out var history))
            {
                _history[backend] = history = new Queue<double>();
            }

            history.Enqueue(cluster);
            while (history.Count > HistoryLength)
            {
                history.Dequeue();
            }

            rates[backend] = new Rate(local, cluster, [.. history]);
        }

        Volatile.Write(ref _rates, rates);
    }

    private void OnViewChanged(NodeView view)
    {
        var previous = _lastView;
        _lastView = view;
        if (previous is null)
        {
            return;
        }

        foreach (var backend in view.Backends)
        {
            var before = previous.Backends.FirstOrDefault(b => b.Id == backend.Id);
            if (before is null)
            {
                AddEvent("verdict", backend.Id + " added: " + backend.Reason);
            }
            else if (before.Routable != backend.Routable || before.Reason != backend.Reason)
            {
                AddEvent("verdict", backend.Id + ": " + before.Reason + " → " + backend.Reason);
            }
        }

        foreach (var gone in previous.Backends.Where(b => view.Backends.All(n => n.Id != b.Id)))
        {
            AddEvent("verdict", gone.Id + " removed");
        }
    }

    private void AddEvent(string kind, string text)
    {
        lock (_events)
        {
            _events.AddFirst(new DashboardEvent(time.GetUtcNow(), kind, text));
            while (_events.Count > MaxEvents)
            {
                _events.RemoveLast();
            }
        }
    }

    private sealed record Rate(double Local, double Cluster, double[] History)
    {
        public static readonly Rate None = new(0, 0, []);
    }

    private static long DirectorySize(string path)
    {
        try
        {
            return string.IsNullOrEmpty(path) || !Directory.Exists(path)
                ? 0
                : new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Exists ? f.Length : 0);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
