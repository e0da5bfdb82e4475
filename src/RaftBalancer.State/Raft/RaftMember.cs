using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using RaftBalancer.State.Raft.Transport;

namespace RaftBalancer.State.Raft;

/// <summary>One incarnation of this node's Raft member: the state machine, its WAL, the cluster member and its outbound connections.</summary>
/// <remarks>Built from the data directory at start-up, and again when the node recovers from a damaged log.</remarks>
internal sealed record RaftMember(PersistentStateMachine Machine, WriteAheadLog Wal, RaftCluster Cluster, PeerConnectionFactory Connections) : IAsyncDisposable
{
    /// <summary>Releases the member; a WAL that faulted reports its fault once more on disposal, which is ignored here.</summary>
    public async ValueTask DisposeAsync()
    {
        Cluster.Dispose();
        Connections.Dispose();
        try
        {
            await Wal.DisposeAsync();
        }
        catch (WriteAheadLog.InternalException)
        {
            // Already reported when the node was fenced.
        }

        await Machine.DisposeAsync();
    }
}
