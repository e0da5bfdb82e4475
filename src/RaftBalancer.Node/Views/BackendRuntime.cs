using RaftBalancer.Core.Backends;
using RaftBalancer.Core.Breaking;
using Yarp.ReverseProxy.Forwarder;

namespace RaftBalancer.Node.Views;

/// <summary>What this node keeps per backend across views: its circuit breaker and its forwarding transformer.</summary>
/// <remarks>Lives as long as the backend keeps the same URL; a view swap reuses it so breaker state survives.</remarks>
/// <param name="Definition">The definition the runtime was made for (the URL is what ties it to the backend).</param>
/// <param name="Breaker">This node's breaker for the backend.</param>
/// <param name="Transformer">The backend's request and response transforms.</param>
internal sealed record BackendRuntime(BackendDefinition Definition, CircuitBreaker Breaker, HttpTransformer Transformer);
