using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RaftBalancer.Contracts.V1;
using BackendStatus = RaftBalancer.Contracts.V1.BackendStatus;
using RaftBalancer.Core.Backends;
using RaftBalancer.Node.Store;
using RaftBalancer.Node.Views;
using RaftBalancer.State;
using RaftBalancer.State.Raft;

namespace RaftBalancer.Node.Admin;

internal sealed partial class AdminService
{
    /// <inheritdoc />
    public override Task<GetClusterStatusResponse> GetClusterStatus(GetClusterStatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return GuardAsync("GetClusterStatus", async () =>
        {
            var cancellationToken = context.CancellationToken;
            if (request.Consistency == Consistency.Linearizable)
            {
                // The read barrier: fails with UNAVAILABLE when this node cannot reach a quorum.
                await _store.GetAsync(StoreLayout.Policy, ReadConsistency.Linearizable, cancellationToken);
            }

            var view = _views.Current;
            var response = new GetClusterStatusResponse
            {
                NodeId = _node.Id,
                ViewVersion = view.Routing.Version,
                Policy = view.Policy.Name,
            };

            if (_store is RaftStateStore raft)
            {
                var status = await raft.GetStatusAsync(cancellationToken);
                response.LeaderNodeId = status.LeaderId ?? string.Empty;
                response.Term = status.Term;
                response.CommitIndex = status.CommitIndex;
                var now = _time.GetUtcNow();
                response.Members.Add(status.Members.Select(m => ToMember(m, status, now)));
            }
            else
            {
                response.LeaderNodeId = _consensus.LeaderId ?? string.Empty;
                response.Members.Add(new ClusterMember
                {
                    NodeId = _node.Id,
                    AdminAddress = _node.AdminUrl,
                    Role = RaftRole.Leader,
                    LastContactMsAgo = -1,
                    AppliedIndex = -1,
                    CommitIndex = -1,
                    Lag = -1,
                    IsSelf = true,
                });
            }

            return response;
        });
    }

    /// <inheritdoc />
    public override Task<ListBackendsResponse> ListBackends(ListBackendsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return GuardAsync("ListBackends", async () =>
        {
            var cancellationToken = context.CancellationToken;
            IReadOnlyList<BackendDefinition> definitions;
            NodeView view;
            if (request.Consistency == Consistency.Linearizable)
            {
                var configs = await _store.ListAsync(StoreLayout.BackendsPrefix, ReadConsistency.Linearizable, cancellationToken);
                var policy = StoreValues.DecodePolicy((await _store.GetAsync(StoreLayout.Policy, ReadConsistency.Local, cancellationToken))?.Value ?? default);
                definitions = [.. configs.Select(e => StoreValues.DecodeBackend(e.Value)).OfType<BackendDefinition>()];
                view = await CatchUpAsync(definitions, policy, cancellationToken);
            }
            else
            {
                view = _views.Current;
                definitions = [.. view.Backends.Select(s => s.Definition)];
            }

            var health = await _store.ListAsync(StoreLayout.HealthPrefix, ReadConsistency.Local, cancellationToken);
            var loads = await _store.ListAsync(StoreLayout.LoadPrefix, ReadConsistency.Local, cancellationToken);
            return BuildBackends(view, definitions, health, loads);
        });
    }

    /// <summary>After a linearizable read, waits (bounded) until this node's view shows the configuration that was read.</summary>
    private async Task<NodeView> CatchUpAsync(IReadOnlyList<BackendDefinition> definitions, string? policy, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_admin.ViewWaitTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await _views.WaitForAsync(
                view => (policy is null || view.Policy.Name == policy)
                    && view.Backends.Count == definitions.Count
                    && definitions.All(d => Includes(view, d)),
                linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Configuration still changing: answer with the configuration read and the verdicts this node has.
            return _views.Current;
        }
    }

    private ListBackendsResponse BuildBackends(NodeView view, IReadOnlyList<BackendDefinition> definitions, IReadOnlyList<StateEntry> health, IReadOnlyList<StateEntry> loads)
    {
        var now = _time.GetUtcNow();
        var response = new ListBackendsResponse { NodeId = _node.Id, ViewVersion = view.Routing.Version, Policy = view.Policy.Name };

        var reports = new Dictionary<string, List<NodeHealth>>(StringComparer.Ordinal);
        foreach (var entry in health)
        {
            var value = DecodeHealth(entry.Value);
            if (value is null)
            {
                continue;
            }

            if (!reports.TryGetValue(value.BackendId, out var list))
            {
                list = [];
                reports[value.BackendId] = list;
            }

            list.Add(new NodeHealth
            {
                NodeId = value.NodeId,
                State = AdminMapper.ToHealth(value.State),
                Since = AdminMapper.ToTimestamp(value.SinceUnixMs),
                Reason = value.Reason,
                RetryAfter = value.State == StoredHealthState.RateLimited ? AdminMapper.ToTimestamp(value.RateLimitedUntilUnixMs) : null,
                Stale = now - DateTimeOffset.FromUnixTimeMilliseconds(value.ReportedAtUnixMs) > _healthFreshFor,
            });
        }

        var remote = new List<LoadReportValue>();
        foreach (var entry in loads)
        {
            if (StoreValues.DecodeLoad(entry.Value) is { } load
                && !string.Equals(load.NodeId, _node.Id, StringComparison.Ordinal)
                && now - DateTimeOffset.FromUnixTimeMilliseconds(load.ReportedAtUnixMs) <= _loadFreshFor)
            {
                remote.Add(load);
            }
        }

        var live = _tracker.Snapshot();
        var statuses = view.Backends.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var definition in definitions.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            var backend = new BackendStatus { Config = AdminMapper.ToConfig(definition) };
            if (reports.TryGetValue(definition.Id, out var nodeHealth))
            {
                backend.Health.Add(nodeHealth.OrderBy(h => h.NodeId, StringComparer.Ordinal));
            }

            var self = live.GetValueOrDefault(definition.Id);
            var total = self;
            backend.ActiveByNode.Add(new NodeLoad { NodeId = _node.Id, Active = self });
            foreach (var load in remote.OrderBy(l => l.NodeId, StringComparer.Ordinal))
            {
                var count = Math.Max(0, load.Active.GetValueOrDefault(definition.Id));
                if (count > 0)
                {
                    backend.ActiveByNode.Add(new NodeLoad { NodeId = load.NodeId, Active = count });
                    total += count;
                }
            }

            backend.ActiveTotal = total;
            if (statuses.TryGetValue(definition.Id, out var status))
            {
                var reason = AdminMapper.ToReason(status.Reason);
                backend.Verdict = new BackendVerdict
                {
                    Routable = status.Routable,
                    Reason = reason,
                    Detail = Detail(reason, status, total),
                };
                backend.BreakerState = AdminMapper.ToBreaker(status.Breaker);
            }
            else
            {
                backend.Verdict = new BackendVerdict { Routable = false, Reason = VerdictReason.Unspecified, Detail = "not in this node's routing view yet" };
                backend.BreakerState = BreakerState.Unspecified;
            }

            response.Backends.Add(backend);
        }

        return response;
    }

    private static string Detail(VerdictReason reason, BackendState status, long activeTotal) => reason switch
    {
        VerdictReason.Draining when activeTotal == 0 => "drained: no requests in flight cluster-wide",
        VerdictReason.Draining => $"draining: {activeTotal} request(s) still in flight cluster-wide",
        VerdictReason.ZeroWeight => "weight 0",
        VerdictReason.RateLimited => "rate limited (429) by a fresh report",
        VerdictReason.UnhealthyMajority => $"unhealthy on {status.UnhealthyReports} of {status.FreshReports} fresh reports",
        VerdictReason.LocalBreakerOpen => "this node's circuit breaker is open",
        VerdictReason.Panic => $"panic routing: unhealthy on {status.UnhealthyReports} of {status.FreshReports} fresh reports, but no backend is healthy",
        VerdictReason.Routable when status.FreshReports == 0 => "no fresh health reports yet",
        VerdictReason.Routable => $"healthy on {status.FreshReports - status.UnhealthyReports} of {status.FreshReports} fresh reports",
        _ => string.Empty,
    };

    private static HealthReportValue? DecodeHealth(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return HealthReportValue.Parser.ParseFrom(bytes.Span);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private ClusterMember ToMember(RaftMemberStatus member, RaftClusterStatus status, DateTimeOffset now)
    {
        var configured = _node.Members.FirstOrDefault(m => string.Equals(m.Id, member.Id, StringComparison.Ordinal));
        var role = member.IsLeader ? RaftRole.Leader
            : member.IsLocal ? (status.LeaderId is null ? RaftRole.Candidate : RaftRole.Follower)
            : !member.Available ? RaftRole.Unknown
            : member.MemberLeaderId == member.Id ? RaftRole.Leader
            : string.IsNullOrEmpty(member.MemberLeaderId) ? RaftRole.Candidate
            : RaftRole.Follower;
        return new ClusterMember
        {
            NodeId = member.Id,
            RaftAddress = configured?.RaftUrl is { Length: > 0 } raftUrl ? raftUrl : "http://" + member.RaftAddress,
            AdminAddress = configured?.AdminUrl ?? string.Empty,
            Role = role,
            Term = member.Term ?? 0,
            LastContact = member.LastContact is { } seen ? Timestamp.FromDateTimeOffset(seen) : null,
            LastContactMsAgo = member.LastContact is { } at ? Math.Max(0L, (long)(now - at).TotalMilliseconds) : -1,
            Stale = member.IsLocal ? _consensus.IsStale : !member.Available,
            AppliedIndex = member.AppliedIndex ?? -1,
            CommitIndex = member.CommitIndex ?? -1,
            Lag = member.Lag ?? -1,
            IsSelf = member.IsLocal,
        };
    }
}
