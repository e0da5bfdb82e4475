using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using RaftBalancer.State.Raft;
using RaftBalancer.State.Raft.Transport;

namespace RaftBalancer.Chaos.Faults;

/// <summary>The link faults of one node: a fault per outbound link (by peer node id), applied through the store's <see cref="IPeerLinkHooks"/> seam.</summary>
/// <remarks>
/// <para>
/// Test-only. A store gets it at start (<see cref="RaftStateStore.StartAsync(RaftStoreOptions, IPeerLinkHooks?, Microsoft.Extensions.Logging.ILoggerFactory?, TimeProvider?, CancellationToken)"/>;
/// the chaos node host, the State tests); a production node passes none and has no gate at all. Its outbound Raft connections then pass the gate when
/// they connect (refuse: fail at once; drop: hang until the connect timeout; delay: wait first) and on every flush (a
/// drop stalls the send, a delay slows every message); a switch to refuse aborts the open connections to that peer.
/// Write forwarding and progress queries pass the same gate per request.
/// </para>
/// <para>
/// DotNext's connection-oriented transport carries a request and its response on the caller's connection, so a
/// fault on A→B cuts A's requests to B (and their answers) while B's requests to A still flow: setting one side
/// gives a one-way cut, setting both sides a full partition of the pair.
/// </para>
/// <para>All members are thread-safe; the link table is an immutable dictionary swapped atomically.</para>
/// </remarks>
public sealed class ChaosFaults : IPeerLinkHooks
{
    private readonly ConcurrentDictionary<ConnectionContext, string> _open = new();
    private ImmutableDictionary<string, LinkFault> _links = ImmutableDictionary.Create<string, LinkFault>(StringComparer.Ordinal);

    /// <summary>Gets the current faults, by peer id (healthy links are absent).</summary>
    public IReadOnlyDictionary<string, LinkFault> Links => Volatile.Read(ref _links);

    /// <summary>Gets the fault on the link to a peer.</summary>
    /// <param name="peerId">The peer's node id.</param>
    /// <returns>The fault; <see cref="LinkFault.Ok"/> when none.</returns>
    public LinkFault Get(string peerId) => Volatile.Read(ref _links).GetValueOrDefault(peerId, LinkFault.Ok);

    /// <summary>Sets the fault on the link to a peer; refuse also aborts the open connections to it.</summary>
    /// <param name="peerId">The peer's node id.</param>
    /// <param name="fault">The fault; <see cref="LinkFault.Ok"/> heals the link.</param>
    public void Set(string peerId, LinkFault fault)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegative(fault.DelayMs);
        ImmutableInterlocked.Update(ref _links, (links, arg) => arg.fault.Mode == LinkMode.Ok ? links.Remove(arg.peerId) : links.SetItem(arg.peerId, arg.fault), (peerId, fault));
        if (fault.Mode == LinkMode.Refuse)
        {
            foreach (var (connection, peer) in _open)
            {
                if (peer == peerId)
                {
                    connection.Abort(new ConnectionAbortedException("chaos: link to " + peerId + " refused"));
                }
            }
        }
    }

    /// <summary>Heals every link.</summary>
    public void HealAll()
    {
        foreach (var peer in Volatile.Read(ref _links).Keys)
        {
            Set(peer, LinkFault.Ok);
        }
    }

    /// <inheritdoc/>
    public ValueTask BeforeConnectAsync(string peerId, CancellationToken cancellationToken) => GateAsync(peerId, cancellationToken);

    /// <inheritdoc/>
    public IDuplexPipe WrapTransport(string peerId, ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _open[connection] = peerId;
        connection.ConnectionClosed.Register(() => _open.TryRemove(connection, out _));
        return new GatedPipe(connection.Transport.Input, new GatedPipeWriter(connection.Transport.Output, this, peerId, connection.ConnectionClosed));
    }

    /// <inheritdoc/>
    public HttpMessageHandler WrapForwardingHandler(HttpMessageHandler inner, IReadOnlyDictionary<string, string> peersByAuthority) =>
        new GatedForwardingHandler(inner, this, peersByAuthority);

    /// <summary>Waits while the link to a peer drops traffic; throws when the link refuses.</summary>
    /// <param name="peerId">The peer's node id.</param>
    /// <param name="cancellationToken">Ends the wait (a request or connect timeout).</param>
    /// <returns>A task that completes when the traffic may be sent.</returns>
    internal async ValueTask GateAsync(string peerId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var fault = Get(peerId);
            switch (fault.Mode)
            {
                case LinkMode.Ok:
                    return;
                case LinkMode.Delay:
                    await Task.Delay(fault.DelayMs, cancellationToken);
                    return;
                case LinkMode.Refuse:
                    throw new SocketException((int)SocketError.ConnectionRefused);
                default:
                    // Dropped: hold the traffic until the link heals or the caller gives up.
                    await Task.Delay(10, cancellationToken);
                    break;
            }
        }
    }
}
