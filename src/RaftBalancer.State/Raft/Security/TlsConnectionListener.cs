using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace RaftBalancer.State.Raft.Security;

/// <summary>A listener that hands out only connections whose peer passed the mutual TLS handshake.</summary>
/// <remarks>
/// One loop accepts sockets; each handshake runs on its own (bounded by a timeout), so a slow or silent client cannot
/// hold up the others. A refused connection is closed before a single Raft byte is read from it.
/// </remarks>
internal sealed class TlsConnectionListener : IConnectionListener
{
    private readonly IConnectionListener _inner;
    private readonly PeerCredentials _credentials;
    private readonly TimeSpan _handshakeTimeout;
    private readonly Channel<ConnectionContext> _ready = Channel.CreateUnbounded<ConnectionContext>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    public TlsConnectionListener(IConnectionListener inner, PeerCredentials credentials, TimeSpan handshakeTimeout)
    {
        _inner = inner;
        _credentials = credentials;
        _handshakeTimeout = handshakeTimeout;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public EndPoint EndPoint => _inner.EndPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _ready.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        await _inner.UnbindAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _inner.DisposeAsync();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // Stopped while accepting.
        }

        while (_ready.Reader.TryRead(out var pending))
        {
            await pending.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                ConnectionContext? connection;
                try
                {
                    connection = await _inner.AcceptAsync(_stopping.Token);
                }
                catch (ObjectDisposedException)
                {
                    break;
                }

                if (connection is null)
                {
                    break;
                }

                _ = HandshakeAsync(connection);
            }
        }
        finally
        {
            _ready.Writer.TryComplete();
        }
    }

    private async Task HandshakeAsync(ConnectionContext connection)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_handshakeTimeout);
        try
        {
            var tls = await TlsConnection.AcceptAsync(connection, _credentials, timeout.Token);
            if (!_ready.Writer.TryWrite(tls))
            {
                await tls.DisposeAsync();
            }
        }
        catch (Exception)
        {
            // Refused and logged by TlsConnection.AcceptAsync; nothing was read past the handshake.
            await connection.DisposeAsync();
        }
    }
}
