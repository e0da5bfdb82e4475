using Yarp.ReverseProxy.Forwarder;

namespace RaftBalancer.Node.Proxy;

/// <summary>YARP's default transforms (X-Forwarded-*, Host removed) plus our node and backend headers.</summary>
/// <remarks>One instance per backend, so naming the backend on the response needs no per-request state.</remarks>
internal sealed class BackendTransformer : HttpTransformer
{
    /// <summary>The request header naming the forwarding node (backends may fault per caller).</summary>
    public const string NodeHeader = "X-RaftBalancer-Node";

    private readonly string _nodeId;
    private readonly string? _backendHeader;
    private readonly string _backendId;

    public BackendTransformer(string nodeId, string backendId, string? backendHeader)
    {
        _nodeId = nodeId;
        _backendId = backendId;
        _backendHeader = string.IsNullOrEmpty(backendHeader) ? null : backendHeader;
    }

    /// <inheritdoc />
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await Default.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.TryAddWithoutValidation(NodeHeader, _nodeId);
    }

    /// <inheritdoc />
    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copyBody = await Default.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (_backendHeader is not null && proxyResponse is not null)
        {
            httpContext.Response.Headers[_backendHeader] = _backendId;
        }

        return copyBody;
    }

    /// <inheritdoc />
    public override ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken) =>
        Default.TransformResponseTrailersAsync(httpContext, proxyResponse, cancellationToken);
}
