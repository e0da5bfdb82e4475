using System.Net;
using Microsoft.AspNetCore.Connections;

namespace RaftBalancer.State.Raft.Security;

/// <summary>Wraps the Raft listener so that every accepted connection completes a mutual TLS handshake before DotNext reads from it.</summary>
internal sealed class TlsConnectionListenerFactory : IConnectionListenerFactory
{
    private readonly IConnectionListenerFactory _inner;
    private readonly PeerCredentials _credentials;
    private readonly TimeSpan _handshakeTimeout;

    public TlsConnectionListenerFactory(IConnectionListenerFactory inner, PeerCredentials credentials, TimeSpan handshakeTimeout)
    {
        _inner = inner;
        _credentials = credentials;
        _handshakeTimeout = handshakeTimeout;
    }

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = await _inner.BindAsync(endpoint, cancellationToken);
        return new TlsConnectionListener(listener, _credentials, _handshakeTimeout);
    }
}
