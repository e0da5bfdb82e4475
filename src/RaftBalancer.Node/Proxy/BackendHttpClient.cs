using System.Diagnostics;
using System.Net;

namespace RaftBalancer.Node.Proxy;

/// <summary>The shared HTTP client that carries forwarded requests to the backends (one connection pool per backend).</summary>
internal sealed class BackendHttpClient : IDisposable
{
    public BackendHttpClient(TimeSpan connectTimeout)
    {
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            // W3C traceparent of the current attempt's span (when traced) replaces any the client sent, on its way to the backend.
            ActivityHeadersPropagator = new Yarp.ReverseProxy.Forwarder.ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = connectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        });
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
