using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace RaftBalancer.State.Raft.Security;

/// <summary>A connection that is another one with its own transport: everything but <see cref="Transport"/> is the inner connection's.</summary>
/// <remarks>The base of the TLS connection (decrypted transport) and of the transport's outbound peer connection (a transport the fault seam may wrap).</remarks>
internal abstract class DelegatingConnection(ConnectionContext inner, IDuplexPipe transport) : ConnectionContext
{
    private IDuplexPipe _transport = transport;

    /// <summary>Gets the wrapped connection.</summary>
    protected ConnectionContext Inner { get; } = inner;

    public override string ConnectionId
    {
        get => Inner.ConnectionId;
        set => Inner.ConnectionId = value;
    }

    public override IFeatureCollection Features => Inner.Features;

    public override IDictionary<object, object?> Items
    {
        get => Inner.Items;
        set => Inner.Items = value;
    }

    public override IDuplexPipe Transport
    {
        get => _transport;
        set => _transport = value;
    }

    public override CancellationToken ConnectionClosed
    {
        get => Inner.ConnectionClosed;
        set => Inner.ConnectionClosed = value;
    }

    public override EndPoint? LocalEndPoint
    {
        get => Inner.LocalEndPoint;
        set => Inner.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => Inner.RemoteEndPoint;
        set => Inner.RemoteEndPoint = value;
    }

    public override void Abort(ConnectionAbortedException abortReason) => Inner.Abort(abortReason);

    public override void Abort() => Inner.Abort();

    public override async ValueTask DisposeAsync()
    {
        await Inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
