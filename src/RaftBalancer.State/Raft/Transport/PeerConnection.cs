using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using RaftBalancer.State.Raft.Chaos;

namespace RaftBalancer.State.Raft.Transport;

/// <summary>An outbound Raft socket connection to one peer, known to its <see cref="PeerConnectionFactory"/> until disposed.</summary>
/// <remarks>On a chaos-enabled node its sends pass the link's chaos gate (<see cref="ChaosPipeWriter"/>).</remarks>
internal sealed class PeerConnection : ConnectionContext
{
    private readonly ConnectionContext _inner;
    private readonly Action<PeerConnection> _closed;
    private IDuplexPipe _transport;

    public PeerConnection(ConnectionContext inner, ChaosFaults? faults, string peer, Action<PeerConnection> closed)
    {
        _inner = inner;
        _closed = closed;
        Peer = peer;
        _transport = faults is null ? inner.Transport : new GatedPipe(inner.Transport.Input, new ChaosPipeWriter(inner.Transport.Output, faults, peer, inner.ConnectionClosed));
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

    private sealed class GatedPipe : IDuplexPipe
    {
        public GatedPipe(PipeReader input, PipeWriter output)
        {
            Input = input;
            Output = output;
        }

        public PipeReader Input { get; }

        public PipeWriter Output { get; }
    }
}
