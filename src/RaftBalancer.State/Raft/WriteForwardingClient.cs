using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using RaftBalancer.Contracts.V1;
using RaftBalancer.State.Machine;
using RaftBalancer.State.Raft.Security;

namespace RaftBalancer.State.Raft;

/// <summary>The follower side of write forwarding: posts a framed request to the leader's forwarding endpoint.</summary>
internal sealed class WriteForwardingClient : IDisposable
{
    private readonly HttpClient _http;

    public WriteForwardingClient(
        TimeSpan connectTimeout,
        Func<HttpMessageHandler, HttpMessageHandler>? wrap = null,
        PeerCredentials? credentials = null,
        IReadOnlyDictionary<string, string>? peersByAuthority = null)
    {
        var sockets = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
        };
        if (credentials is not null)
        {
            // TLS is done here rather than by an https URI so that the server's certificate is checked against the
            // member this endpoint belongs to (the handler alone would only know the IP address).
            var peers = peersByAuthority ?? new Dictionary<string, string>();
            sockets.ConnectCallback = (context, cancellationToken) =>
                ConnectTlsAsync(context.DnsEndPoint, credentials, peers, cancellationToken);
        }

        HttpMessageHandler handler = sockets;
        _http = new HttpClient(wrap is null ? handler : wrap(handler))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Sends a request; transport failures surface as <see cref="HttpRequestException"/> for the caller to retry.</summary>
    public async Task<ForwardResponse> SendAsync(IPEndPoint leader, ForwardRequest request, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(StateCodec.Encode(FrameKind.ForwardRequest, request));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-raftbalancer-frame");
        var uri = new Uri($"http://{leader}{WriteForwardingServer.Path}");
        using var response = await _http.PostAsync(uri, content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"Leader {leader} answered HTTP {(int)response.StatusCode} to a forwarded write.");
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return StateCodec.DecodeMessage(bytes, FrameKind.ForwardResponse, ForwardResponse.Parser);
    }

    /// <summary>Asks a member for its replication progress.</summary>
    public async Task<NodeProgress> GetProgressAsync(IPEndPoint member, CancellationToken cancellationToken)
    {
        var bytes = await _http.GetByteArrayAsync(new Uri($"http://{member}{WriteForwardingServer.ProgressPath}"), cancellationToken);
        return StateCodec.DecodeMessage(bytes, FrameKind.NodeProgress, NodeProgress.Parser);
    }

    public void Dispose() => _http.Dispose();

    private static async ValueTask<Stream> ConnectTlsAsync(
        DnsEndPoint endPoint,
        PeerCredentials credentials,
        IReadOnlyDictionary<string, string> peers,
        CancellationToken cancellationToken)
    {
        var authority = endPoint.Host.Contains(':', StringComparison.Ordinal) ? $"[{endPoint.Host}]:{endPoint.Port}" : $"{endPoint.Host}:{endPoint.Port}";
        if (!peers.TryGetValue(authority, out var member))
        {
            throw new HttpRequestException($"{authority} is no member's forwarding endpoint.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            try
            {
                await tls.AuthenticateAsClientAsync(credentials.ClientOptions(member, socket.RemoteEndPoint), cancellationToken);
            }
            catch
            {
                await tls.DisposeAsync();
                throw;
            }

            return tls;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
