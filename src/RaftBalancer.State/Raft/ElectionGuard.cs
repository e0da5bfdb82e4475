using System.Collections.Frozen;
using System.Net;
using DotNext.Net.Cluster;
using DotNext.Net.Cluster.Consensus.Raft;
using Microsoft.Extensions.Logging;
using RaftBalancer.State.Raft.Transport;

namespace RaftBalancer.State.Raft;

/// <summary>Keeps leader elections live when a member is hung: reachable, but never answering.</summary>
/// <remarks>
/// <para>
/// DotNext's candidate (6.12) counts its votes only once every member has answered or failed, and gives up when its
/// election timeout (150–300 ms by default) ends first. A request to a member that is hung — SIGSTOPped, frozen,
/// behind a link that drops packets — neither answers nor fails before <see cref="RaftStoreOptions.RequestTimeout"/>,
/// which is longer, so with one such member no candidate ever wins and the cluster stays leaderless for as long as
/// the member is hung, although a majority is up. Measured before this guard: 3 members, the leader SIGSTOPped, no
/// leader in 30 s; in-process, 2 members and a third that accepts connections and never answers, no leader in 30 s.
/// DotNext's own <see cref="IRaftClusterMember.CancelPendingRequestsAsync"/> does not help: it cannot interrupt the
/// request that holds the member's connection.
/// </para>
/// <para>
/// While this node knows no leader, the guard aborts the open Raft connections (<see cref="PeerConnectionFactory"/>)
/// to the members that are suspect: the last leader (a follower's election timer expires because the leader went
/// quiet) and every member DotNext marked unavailable. The request in flight fails at once, which DotNext counts as a
/// vote against — exactly as if the member were down — so a live majority elects a leader. Failing requests is what a
/// network fault does, so Raft's safety is untouched. To never lock out a member that is alive but was marked
/// suspect, the guard acts only in every other window of one upper election timeout: in the windows between, requests
/// run as usual and one answer makes the member available again. Once a leader is known the guard does nothing.
/// </para>
/// </remarks>
internal sealed class ElectionGuard : IAsyncDisposable
{
    private readonly RaftCluster _cluster;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _nodeId;
    private readonly PeerConnectionFactory _connections;
    private readonly FrozenDictionary<EndPoint, string> _ids;
    private readonly TimeSpan _tick;
    private readonly TimeSpan _window;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<EndPoint> _reported = [];
    private readonly Task _loop;
    private EndPoint? _lastLeader;
    private long _leaderlessSince = -1;
    private long _interventions;

    public ElectionGuard(RaftCluster cluster, PeerConnectionFactory connections, RaftStoreOptions options, TimeProvider time, ILogger logger)
    {
        _connections = connections;
        _ids = options.Members.ToFrozenDictionary(m => (EndPoint)IPEndPoint.Parse(m.RaftAddress), m => m.Id);
        _cluster = cluster;
        _time = time;
        _logger = logger;
        _nodeId = options.NodeId;
        _window = options.ElectionTimeoutUpper;
        _tick = TimeSpan.FromMilliseconds(Math.Clamp(options.ElectionTimeoutLower.TotalMilliseconds / 3, 10, 50));
        _loop = RunAsync(_stop.Token);
    }

    /// <summary>Gets how many times the guard acted on a suspect member (aborted whatever connections it had open).</summary>
    public long Interventions => Interlocked.Read(ref _interventions);

    /// <summary>Looks at the cluster once: what one tick of the guard's loop does.</summary>
    internal void Check()
    {
        if (_cluster.Leader is { } leader)
        {
            if (leader.IsRemote)
            {
                _lastLeader = leader.EndPoint;
            }

            _leaderlessSince = -1;
            _reported.Clear();
            return;
        }

        var now = _time.GetTimestamp();
        if (_leaderlessSince < 0)
        {
            _leaderlessSince = now;
        }

        // Windows 0, 2, 4 … act; 1, 3, 5 … let every request run untouched.
        var window = (long)(_time.GetElapsedTime(_leaderlessSince, now) / _window);
        if (window % 2 != 0)
        {
            return;
        }

        foreach (var member in _cluster.Members)
        {
            if (!member.IsRemote || (member.Status != ClusterMemberStatus.Unavailable && !Equals(member.EndPoint, _lastLeader)))
            {
                continue;
            }

            var memberId = _ids.GetValueOrDefault(member.EndPoint, member.EndPoint.ToString() ?? "?");
            if (_reported.Add(member.EndPoint))
            {
                Log.ElectionGuardActs(_logger, _nodeId, memberId, member.Status);
            }

            _connections.AbortConnections(memberId, "election guard: no leader and member " + memberId + " may be hung");
            Interlocked.Increment(ref _interventions);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    Check();
                }
                catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
                {
                    // The cluster is stopping; the loop ends with the store.
                    Log.ElectionGuardSkipped(_logger, _nodeId, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
