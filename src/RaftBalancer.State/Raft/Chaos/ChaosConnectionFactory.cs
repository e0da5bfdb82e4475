using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace RaftBalancer.State.Raft.Chaos;

/// <summary>Opens this node's outbound Raft connections over real TCP sockets, through the per-peer <see cref="ChaosFaults"/>.</summary>
/// <remarks>
/// Connecting consults the peer's fault (refuse: fail at once; drop: hang until the connect timeout; delay: wait
/// first). Every open connection is tracked by peer: a switch to refuse aborts them, and their sends pass the same
/// gate (<see cref="ChaosPipeWriter"/>), so a drop stalls them and a delay slows every message.
/// </remarks>
internal sealed class ChaosConnectionFactory : IConnectionFactory, IDisposable
{
    private readonly ChaosFaults _faults;
    private readonly FrozenDictionary<EndPoint, string> _peers;
    private readonly SocketConnectionContextFactory _sockets;
    private readonly ConcurrentDictionary<ConnectionContext, string> _open = new();

    public ChaosConnectionFactory(ChaosFaults faults, FrozenDictionary<EndPoint, string> peers, ILoggerFactory loggerFactory)
    {
        _faults = faults;
        _peers = peers;
        _sockets = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), loggerFactory.CreateLogger<ChaosConnectionFactory>());
        _faults.Changed += OnChanged;
    }

    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var peer = _peers.GetValueOrDefault(endpoint, endpoint.ToString() ?? "?");
        await _faults.GateAsync(peer, cancellationToken);
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

        var connection = new ChaosConnection(_sockets.Create(socket), _faults, peer, c => _open.TryRemove(c, out _));
        _open[connection] = peer;
        return connection;
    }

    public void Dispose()
    {
        _faults.Changed -= OnChanged;
        _sockets.Dispose();
    }

    private void OnChanged(string peer, LinkFault fault)
    {
        if (fault.Mode != LinkMode.Refuse)
        {
            return;
        }

        foreach (var (connection, target) in _open)
        {
            if (target == peer)
            {
                connection.Abort(new ConnectionAbortedException("chaos: link to " + peer + " refused"));
            }
        }
    }
}
