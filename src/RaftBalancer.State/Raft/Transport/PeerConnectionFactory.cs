using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using RaftBalancer.State.Raft.Chaos;

namespace RaftBalancer.State.Raft.Transport;

/// <summary>Opens this node's outbound Raft connections over TCP and keeps track of them by peer.</summary>
/// <remarks>
/// <para>
/// Tracking lets <see cref="AbortConnections"/> fail every request in flight to one peer at once — what the
/// <see cref="ElectionGuard"/> does to a member that is hung, since DotNext cannot interrupt a request that already
/// holds its connection.
/// </para>
/// <para>
/// On a chaos-enabled node, connecting also consults the peer's fault (refuse: fail at once; drop: hang until the
/// connect timeout; delay: wait first), a switch to refuse aborts the open connections, and sends pass the same gate,
/// so a drop stalls them and a delay slows every message.
/// </para>
/// </remarks>
internal sealed class PeerConnectionFactory : IConnectionFactory, IDisposable
{
    private readonly ChaosFaults? _faults;
    private readonly FrozenDictionary<EndPoint, string> _peers;
    private readonly SocketConnectionContextFactory _sockets;
    private readonly ConcurrentDictionary<PeerConnection, byte> _open = new();

    public PeerConnectionFactory(ChaosFaults? faults, FrozenDictionary<EndPoint, string> peers, ILoggerFactory loggerFactory)
    {
        _faults = faults;
        _peers = peers;
        _sockets = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), loggerFactory.CreateLogger<PeerConnectionFactory>());
        if (_faults is not null)
        {
            _faults.Changed += OnChanged;
        }
    }

    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var peer = _peers.GetValueOrDefault(endpoint, endpoint.ToString() ?? "?");
        if (_faults is not null)
        {
            await _faults.GateAsync(peer, cancellationToken);
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

        var connection = new PeerConnection(_sockets.Create(socket), _faults, peer, c => _open.TryRemove(c, out _));
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

    public void Dispose()
    {
        if (_faults is not null)
        {
            _faults.Changed -= OnChanged;
        }

        _sockets.Dispose();
    }

    private void OnChanged(string peer, LinkFault fault)
    {
        if (fault.Mode == LinkMode.Refuse)
        {
            AbortConnections(peer, "chaos: link to " + peer + " refused");
        }
    }
}
