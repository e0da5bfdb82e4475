using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace RaftBalancer.State.Raft.Transport;

/// <summary>Hooks a <see cref="RaftStateStore"/> calls on its outbound traffic to each peer: the seam a test host uses to fault links.</summary>
/// <remarks>
/// <para>
/// Passed to <see cref="RaftStateStore.StartAsync(RaftStoreOptions, IPeerLinkHooks?, Microsoft.Extensions.Logging.ILoggerFactory?, TimeProvider?, CancellationToken)"/>;
/// a production node passes none and the store then calls nothing. The hooks see both kinds of outbound traffic: the Raft connections DotNext opens through the
/// store's connection factory, and the HTTP requests of write forwarding and progress queries.
/// </para>
/// <para>Implementations must be thread-safe: every member is called concurrently, from DotNext's and the store's threads.</para>
/// </remarks>
public interface IPeerLinkHooks
{
    /// <summary>Called before an outbound Raft connection to a peer is opened.</summary>
    /// <param name="peerId">The member id of the peer.</param>
    /// <param name="cancellationToken">Fires at DotNext's connect timeout.</param>
    /// <returns>A task that completes when the connection may be opened; a fault (e.g. a <see cref="System.Net.Sockets.SocketException"/>) fails the connect.</returns>
    ValueTask BeforeConnectAsync(string peerId, CancellationToken cancellationToken);

    /// <summary>Called once an outbound Raft connection to a peer is open: returns the transport the store uses for it.</summary>
    /// <param name="peerId">The member id of the peer.</param>
    /// <param name="connection">The open socket connection; its <see cref="BaseConnectionContext.ConnectionClosed"/> fires when it closes,
    /// and <see cref="ConnectionContext.Abort(ConnectionAbortedException)"/> fails its pending requests at once.</param>
    /// <returns>The connection's own <see cref="ConnectionContext.Transport"/>, or a pipe that wraps it.</returns>
    IDuplexPipe WrapTransport(string peerId, ConnectionContext connection);

    /// <summary>Called once at start-up: returns the handler the store's write-forwarding HTTP client sends through.</summary>
    /// <param name="inner">The socket handler that does the sending.</param>
    /// <param name="peersByAuthority">Each peer's member id by the authority (<c>host:port</c>) of its forwarding endpoint, as request URIs carry it.</param>
    /// <returns><paramref name="inner"/>, or a handler that delegates to it.</returns>
    HttpMessageHandler WrapForwardingHandler(HttpMessageHandler inner, IReadOnlyDictionary<string, string> peersByAuthority);
}
