using System.Net;
using System.Net.Http.Headers;
using RaftBalancer.Contracts.V1;
using RaftBalancer.State.Machine;

namespace RaftBalancer.State.Raft;

/// <summary>The follower side of write forwarding: posts a framed request to the leader's forwarding endpoint.</summary>
internal sealed class WriteForwardingClient : IDisposable
{
    private readonly HttpClient _http;

    public WriteForwardingClient(TimeSpan connectTimeout, Func<HttpMessageHandler, HttpMessageHandler>? wrap = null)
    {
        HttpMessageHandler handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
        };
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
}
