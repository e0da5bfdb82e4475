using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using RaftBalancer.State.Raft.Security;

namespace RaftBalancer.State.Raft.Transport;

/// <summary>Opens this node's outbound Raft connections over TCP and keeps track of them by peer.</summary>
/// <remarks>
/// <para>
/// Tracking lets <see cref="AbortConnections"/> fail every request in flight to one peer at once — what the
/// <see cref="ElectionGuard"/> does to a member that is hung, since DotNext cannot interrupt a request that already
/// holds its connection.
/// </para>
/// <para>
/// On a store started with <see cref="IPeerLinkHooks"/> (a test host only), connecting first waits for
/// <see cref="IPeerLinkHooks.BeforeConnectAsync"/> and each open connection's transport is the one
/// <see cref="IPeerLinkHooks.WrapTransport"/> returns; without them, neither call exists.
/// </para>
/// <para>
/// With <see cref="PeerCredentials"/> (mutual TLS), each connection completes a TLS 1.3 handshake in which the peer's
/// certificate must name the member dialled, before DotNext writes to it.
/// </para>
/// </remarks>
internal sealed class PeerConnectionFactory : IConnectionFactory, IDisposable
{
    private readonly IPeerLinkHooks? _hooks;
    private readonly PeerCredentials? _credentials;
    private readonly FrozenDictionary<EndPoint, string> _peers;
    private readonly SocketConnectionContextFactory _sockets;
    private readonly ConcurrentDictionary<PeerConnection, byte> _open = new();

    public PeerConnectionFactory(IPeerLinkHooks? hooks, PeerCredentials? credentials, FrozenDictionary<EndPoint, string> peers, ILoggerFactory loggerFactory)
    {
        _hooks = hooks;
        _credentials = credentials;
        _peers = peers;
        _sockets = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), loggerFactory.CreateLogger<PeerConnectionFactory>());
    }

    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var peer = _peers.GetValueOrDefault(endpoint, endpoint.ToString() ?? "?");
        if (_hooks is not null)
        {
            await _hooks.BeforeConnectAsync(peer, cancellationToken);
        }

        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var inner = _sockets.Create(socket);
        if (_credentials is not null)
        {
            try
            {
                // The fault gate (when hooks exist) then sits on top of TLS, on the Raft bytes.
                inner = await TlsConnection.ConnectAsync(inner, _credentials, peer, cancellationToken);
            }
            catch
            {
                await inner.DisposeAsync();
                throw;
            }
        }

        var connection = new PeerConnection(inner, _hooks?.WrapTransport(peer, inner) ?? inner.Transport, peer, c => _open.TryRemove(c, out _));
        _open[connection] = 0;
        return connection;
    }

    /// <summary>Aborts every open connection to <paramref name="peer"/>: their pending requests fail at once.</summary>
    /// <returns>How many connections were aborted.</returns>
    public int AbortConnections(string peer, string reason)
    {
        var aborted = 0;
        foreach (var connection in _open.Keys)
        {
            if (connection.Peer == peer)
            {
                connection.Abort(new ConnectionAbortedException(reason));
                aborted++;
            }
        }

        return aborted;
    }

    public void Dispose() => _sockets.Dispose();
}
