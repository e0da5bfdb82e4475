using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Balancing;
using RaftBalancer.Core.Breaking;
using RaftBalancer.Core.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace RaftBalancer.Node.Views;

/// <summary>A routable backend with everything the request path needs: the Core data, this node's breaker and transformer, and YARP's destination prefix.</summary>
/// <remarks>The policies pick these out of the view, so the proxy needs no lookup after a pick.</remarks>
internal sealed class BackendRoute : RoutableBackend
{
    public BackendRoute(BackendDefinition definition, ConnectionCounter counter, long remoteActive, BackendRuntime runtime)
        : base(definition, counter, remoteActive)
    {
        Breaker = runtime.Breaker;
        Transformer = runtime.Transformer;
        Prefix = definition.Url.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>This node's circuit breaker for the backend.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>The request and response transforms for the backend.</summary>
    public HttpTransformer Transformer { get; }

    /// <summary>The destination prefix handed to YARP: the URL without a trailing '/'.</summary>
    public string Prefix { get; }
}
