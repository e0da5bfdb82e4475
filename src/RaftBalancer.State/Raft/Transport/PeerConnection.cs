using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace RaftBalancer.State.Raft.Transport;

/// <summary>An outbound Raft socket connection to one peer, known to its <see cref="PeerConnectionFactory"/> until disposed.</summary>
/// <remarks>Its transport is the socket's own, or what <see cref="IPeerLinkHooks.WrapTransport"/> made of it.</remarks>
internal sealed class PeerConnection : ConnectionContext
{
    private readonly ConnectionContext _inner;
    private readonly Action<PeerConnection> _closed;
    private IDuplexPipe _transport;

    public PeerConnection(ConnectionContext inner, IDuplexPipe transport, string peer, Action<PeerConnection> closed)
    {
        _inner = inner;
        _closed = closed;
        Peer = peer;
        _transport = transport;
    }

    /// <summary>Gets the member id of the peer this connection goes to.</summary>
    public string Peer { get; }

    public override string ConnectionId
    {
        get => _inner.ConnectionId;
        set => _inner.ConnectionId = value;
    }

    public override IFeatureCollection Features => _inner.Features;

    public override IDictionary<object, object?> Items
    {
        get => _inner.Items;
        set => _inner.Items = value;
    }

    public override IDuplexPipe Transport
    {
        get => _transport;
        set => _transport = value;
    }

    public override CancellationToken ConnectionClosed
    {
        get => _inner.ConnectionClosed;
        set => _inner.ConnectionClosed = value;
    }

    public override EndPoint? LocalEndPoint
    {
        get => _inner.LocalEndPoint;
        set => _inner.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => _inner.RemoteEndPoint;
        set => _inner.RemoteEndPoint = value;
    }

    public override void Abort(ConnectionAbortedException abortReason) => _inner.Abort(abortReason);

    public override void Abort() => _inner.Abort();

    public override async ValueTask DisposeAsync()
    {
        _closed(this);
        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
