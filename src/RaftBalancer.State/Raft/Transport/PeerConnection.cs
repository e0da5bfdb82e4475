using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using RaftBalancer.State.Raft.Security;

namespace RaftBalancer.State.Raft.Transport;

/// <summary>An outbound Raft socket connection to one peer, known to its <see cref="PeerConnectionFactory"/> until disposed.</summary>
/// <remarks>Its transport is the socket's own, or what <see cref="IPeerLinkHooks.WrapTransport"/> made of it.</remarks>
internal sealed class PeerConnection(ConnectionContext inner, IDuplexPipe transport, string peer, Action<PeerConnection> closed)
    : DelegatingConnection(inner, transport)
{
    /// <summary>Gets the member id of the peer this connection goes to.</summary>
    public string Peer { get; } = peer;

    public override async ValueTask DisposeAsync()
    {
        closed(this);
        await base.DisposeAsync();
    }
}
