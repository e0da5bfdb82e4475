using System.Collections.Immutable;

namespace RaftBalancer.State.Raft.Chaos;

/// <summary>The fault switches of one chaos-enabled node: a fault per outbound link (by peer node id) and test-only misbehaviour.</summary>
/// <remarks>
/// <para>
/// Constructed only when a node is started with chaos enabled (never from a production configuration); a
/// <see cref="RaftStateStore"/> started without it uses DotNext's plain TCP transport and has no seam at all.
/// With it, the store uses DotNext's custom connection-oriented transport over real TCP sockets (Kestrel's socket
/// transport), whose outbound connections pass through a factory that consults these switches per destination.
/// </para>
/// <para>
/// DotNext's connection-oriented transport carries a request and its response on the caller's connection, so a
/// fault on A→B cuts A's requests to B (and their answers) while B's requests to A still flow: setting one side
/// gives a one-way cut, setting both sides a full partition of the pair.
/// </para>
/// <para>All members are thread-safe; the link table is an immutable dictionary swapped atomically.</para>
/// </remarks>
public sealed class ChaosFaults
{
    private ImmutableDictionary<string, LinkFault> _links = ImmutableDictionary.Create<string, LinkFault>(StringComparer.Ordinal);
    private volatile bool _ackBeforeCommit;

    /// <summary>Raised after a link's fault changes (peer id, new fault); open connections to that peer react to it.</summary>
    public event Action<string, LinkFault>? Changed;

    /// <summary>Gets the current faults, by peer id (healthy links are absent).</summary>
    public IReadOnlyDictionary<string, LinkFault> Links => Volatile.Read(ref _links);

    /// <summary>Gets or sets a value indicating whether writes are acknowledged before they are committed.</summary>
    /// <remarks>
    /// A deliberately broken variant for proving that the chaos checker can fail: the write is proposed in the
    /// background and the caller is answered at once, so an acknowledged write may be lost.
    /// </remarks>
    public bool AckBeforeCommit
    {
        get => _ackBeforeCommit;
        set => _ackBeforeCommit = value;
    }

    /// <summary>Gets the fault on the link to a peer.</summary>
    /// <param name="peerId">The peer's node id.</param>
    /// <returns>The fault; <see cref="LinkFault.Ok"/> when none.</returns>
    public LinkFault Get(string peerId) => Volatile.Read(ref _links).GetValueOrDefault(peerId, LinkFault.Ok);

    /// <summary>Sets the fault on the link to a peer.</summary>
    /// <param name="peerId">The peer's node id.</param>
    /// <param name="fault">The fault; <see cref="LinkFault.Ok"/> heals the link.</param>
    public void Set(string peerId, LinkFault fault)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegative(fault.DelayMs);
        ImmutableInterlocked.Update(ref _links, (links, arg) => arg.fault.Mode == LinkMode.Ok ? links.Remove(arg.peerId) : links.SetItem(arg.peerId, arg.fault), (peerId, fault));
        Changed?.Invoke(peerId, fault);
    }

    /// <summary>Heals every link.</summary>
    public void HealAll()
    {
        foreach (var peer in Volatile.Read(ref _links).Keys)
        {
            Set(peer, LinkFault.Ok);
        }
    }

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
                    throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
                default:
                    // Dropped: hold the traffic until the link heals or the caller gives up.
                    await Task.Delay(10, cancellationToken);
                    break;
            }
        }
    }
}
