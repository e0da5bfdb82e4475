using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;
using RaftBalancer.State.Raft.Transport;
using RaftBalancer.State.Watching;

namespace RaftBalancer.State.Raft;

/// <summary>The parts <c>RaftStateStore.StartAsync</c> recovers and wires before the store exists, handed to it as one.</summary>
/// <remarks>The store owns every disposable part from its construction on and releases them in <see cref="RaftStateStore.CloseAsync"/>.</remarks>
internal sealed record RaftStoreComponents
{
    /// <summary>Gets the validated options.</summary>
    public required RaftStoreOptions Options { get; init; }

    /// <summary>Gets the store's logger.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>Gets the clock that stamps entries and sweeps expiries.</summary>
    public required TimeProvider Time { get; init; }

    /// <summary>Gets the watch subscriptions the state machine publishes to.</summary>
    public required WatchHub Watchers { get; init; }

    /// <summary>Gets the restored state machine.</summary>
    public required PersistentStateMachine Machine { get; init; }

    /// <summary>Gets the initialized write-ahead log.</summary>
    public required WriteAheadLog Wal { get; init; }

    /// <summary>Gets the Raft cluster, not started yet.</summary>
    public required RaftCluster Cluster { get; init; }

    /// <summary>Gets the factory of the outbound Raft connections.</summary>
    public required PeerConnectionFactory PeerConnections { get; init; }

    /// <summary>Gets this node's mutual TLS material, or <see langword="null"/> (plaintext).</summary>
    public Security.PeerCredentials? PeerCredentials { get; init; }

    /// <summary>Gets the hooks on the outbound peer traffic, or <see langword="null"/> (production).</summary>
    public IPeerLinkHooks? LinkHooks { get; init; }
}
