using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Breaking;
using RaftBalancer.Node.Proxy;

namespace RaftBalancer.Node.Views;

/// <summary>What the node keeps per backend across views: its breaker, its transformer and the forwarding prefix.</summary>
/// <remarks>Lives as long as the backend keeps the same URL; a view swap reuses it so breaker state survives.</remarks>
internal sealed class BackendRuntime
{
    public BackendRuntime(BackendDefinition definition, CircuitBreaker breaker, BackendTransformer transformer)
    {
        Definition = definition;
        Breaker = breaker;
        Transformer = transformer;
        Prefix = definition.Url.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    public BackendDefinition Definition { get; }

    public CircuitBreaker Breaker { get; }

    public BackendTransformer Transformer { get; }

    /// <summary>The destination prefix handed to YARP: the URL without a trailing '/'.</summary>
    public string Prefix { get; }
}
