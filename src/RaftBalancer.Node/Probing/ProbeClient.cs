using System.Net;

namespace RaftBalancer.Node.Probing;

/// <summary>The HTTP client the prober uses: its own connection pool, and every probe names this node.</summary>
/// <remarks>The node header lets a backend (or a test) fail one node's probes only, to simulate a bad network path.</remarks>
internal sealed class ProbeClient : IDisposable
{
    public ProbeClient(string nodeId, TimeSpan connectTimeout)
    {
        var sockets = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = connectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ActivityHeadersPropagator = null,
        };
        Invoker = new HttpClient(new NodeHeaderHandler(nodeId, sockets)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();

    private sealed class NodeHeaderHandler : DelegatingHandler
    {
        private readonly string _nodeId;

        public NodeHeaderHandler(string nodeId, HttpMessageHandler inner)
            : base(inner)
        {
            _nodeId = nodeId;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation(Proxy.BackendTransformer.NodeHeader, _nodeId);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
