using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Breaking;
using Yarp.ReverseProxy.Forwarder;

namespace RaftBalancer.Node.Views;

/// <summary>What this node keeps per backend across views: its circuit breaker and its forwarding transformer.</summary>
/// <remarks>Lives as long as the backend keeps the same URL; a view swap reuses it so breaker state survives.</remarks>
internal sealed class BackendRuntime
{
    public BackendRuntime(BackendDefinition definition, CircuitBreaker breaker, HttpTransformer transformer)
    {
        Definition = definition;
        Breaker = breaker;
        Transformer = transformer;
    }

    /// <summary>The definition the runtime was made for (the URL is what ties it to the backend).</summary>
    public BackendDefinition Definition { get; }

    public CircuitBreaker Breaker { get; }

    public HttpTransformer Transformer { get; }
}
